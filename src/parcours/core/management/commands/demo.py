from django.core.management.base import BaseCommand, CommandError

from parcours.aid import demo as aid_demo
from parcours.core import demo_data
from parcours.groups import demo as groups_demo
from parcours.outreach import demo as outreach_demo
from parcours.steering import demo as steering_demo


class Command(BaseCommand):
    help = (
        "Génère l'organisme de démonstration (2 départements, 12 agents, environ 2 000 personnes "
        "et un an d'activité). Déterministe pour une graine donnée ; sans effet s'il existe déjà."
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
            self.stdout.write(
                f"Identifiants de démonstration (mot de passe : {demo_data.DEMO_PASSWORD}) :"
            )
            for usernames, role in demo_data.DEMO_LOGINS:
                self.stdout.write(f"  - {role} : {usernames}")
            return
        if options["personnes"] < 10:
            raise CommandError("--personnes : au moins 10.")
        code = options["organisation"]
        if demo_data.exists(code):
            if not options["reinitialiser"]:
                self.stdout.write(
                    f"La démonstration {code} existe déjà (--reinitialiser pour la régénérer)."
                )
                return
            demo_data.reset(code)
        summary = demo_data.generate(code=code, people=options["personnes"], seed=options["seed"])
        groups_demo.generate(code=code, seed=options["seed"])
        outreach_demo.generate(code=code, seed=options["seed"])
        aid_demo.generate(code=code, seed=options["seed"])
        steering_demo.generate(code=code, seed=options["seed"])
        self.stdout.write(
            f"Démonstration {code} prête en {summary.seconds:.1f} s : {summary.people} personnes, "
            f"{summary.cases} accompagnements ({summary.closed} clos), {summary.contacts} "
            f"entretiens dont {summary.home_visits} visites à domicile."
        )
