import time

from django.core.management.base import BaseCommand, CommandError

from parcours.core.exceptions import BusinessError
from parcours.demo import aid as aid_demo
from parcours.demo import base
from parcours.demo import groups as groups_demo
from parcours.demo import history as history_demo
from parcours.demo import observatory as observatory_demo
from parcours.demo import orientations as orientations_demo
from parcours.demo import outreach as outreach_demo
from parcours.demo import partners as partners_demo
from parcours.demo import privacy as privacy_demo
from parcours.demo import sharing as sharing_demo
from parcours.demo import steering as steering_demo
from parcours.demo import subsidies as subsidies_demo
from parcours.demo.organisation import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Génère l'organisme de démonstration (2 départements, 12 agents, environ 2 000 personnes, "
        "un an d'activité et l'historique migré des quatre années précédentes). Déterministe "
        "pour une graine donnée ; sans effet s'il existe déjà."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="graine (défaut : 2026)")
        parser.add_argument(
            "--personnes", type=int, default=2000, help="nombre de personnes (défaut : 2 000)"
        )
        parser.add_argument(
            "--organisation",
            default="carsat-demo",
            metavar="CODE",
            help="code de l'organisme (défaut : carsat-demo)",
        )
        parser.add_argument(
            "--reinitialiser",
            action="store_true",
            help="efface d'abord l'activité de démonstration existante",
        )
        parser.add_argument(
            "--identifiants",
            action="store_true",
            help="affiche seulement les identifiants de démonstration",
        )

    def handle(self, *args, **options):
        if options["identifiants"]:
            self.stdout.write(f"Identifiants de démonstration (mot de passe : {DEMO_PASSWORD}) :")
            for usernames, role in DEMO_LOGINS:
                self.stdout.write(f"  - {role} : {usernames}")
            return
        if options["personnes"] < 10:
            raise CommandError("--personnes : au moins 10.")
        code = options["organisation"]
        if base.exists(code):
            if not options["reinitialiser"]:
                self.stdout.write(
                    f"La démonstration {code} existe déjà (--reinitialiser pour la régénérer)."
                )
                return
            base.reset(code)
        try:
            summary = base.generate(code=code, people=options["personnes"], seed=options["seed"])
        except BusinessError as error:  # un code d'organisme refusé par le service
            raise CommandError(" ".join(error.errors.values())) from None
        partners_demo.generate(code=code)
        groups_demo.generate(code=code, seed=options["seed"])
        subsidies_demo.generate(code=code)
        outreach_demo.generate(code=code, seed=options["seed"])
        aid_demo.generate(code=code, seed=options["seed"])
        orientations_demo.generate(code=code, seed=options["seed"])
        started = time.perf_counter()
        shared = sharing_demo.generate(code=code)
        orientations_demo.generate_cross(code=code, other=sharing_demo.CAF_CODE)
        sharing_seconds = time.perf_counter() - started
        started = time.perf_counter()
        past = history_demo.generate(code=code, seed=options["seed"])
        history_seconds = time.perf_counter() - started
        steering_demo.generate(code=code, seed=options["seed"])
        privacy_demo.generate(code=code, others=(sharing_demo.CAF_CODE,))
        started = time.perf_counter()
        observed = observatory_demo.generate(code=code, seed=options["seed"])
        observatory_seconds = time.perf_counter() - started
        self.stdout.write(
            f"Démonstration {code} prête en {summary.seconds:.1f} s : {summary.people} personnes, "
            f"{summary.cases} accompagnements ({summary.closed} clos), {summary.contacts} "
            f"entretiens dont {summary.home_visits} visites à domicile."
        )
        self.stdout.write(
            f"Partage entre organismes en {sharing_seconds:.1f} s : "
            + ", ".join(shared)
            + f" (second organisme : {sharing_demo.CAF_CODE})."
        )
        self.stdout.write(
            f"Observatoire des fragilités en {observatory_seconds:.1f} s : "
            + ", ".join(f"{k.replace('_', ' ')} : {v}" for k, v in observed.items())
            + "."
        )
        if past is not None:
            self.stdout.write(
                f"Historique migré des années passées en {history_seconds:.1f} s : "
                f"{past.created['beneficiaires.csv']} personnes, "
                f"{past.created['accompagnements.csv']} accompagnements, "
                f"{past.created['entretiens.csv']} entretiens."
            )
