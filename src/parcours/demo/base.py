"""L'organisme de démonstration : 2 départements, 12 agents, ~2 000 personnes, un an d'activité.

Déterministe pour une graine donnée ; « aujourd'hui » vient de ``core.clock``. Les proportions
suivent ``domaine.md`` : PDP majoritaire, 9 personnes sur 10 détectées (signalement, offre de
service), ~35 % d'interventions ponctuelles, ~7 entretiens par accompagnement suivi, visites à
domicile fréquentes pour les plus âgés, issues PDP 21 / 34 / 21 / 24 %.

L'organisme est créé par son service d'administration ; le reste des écritures passe par les
mêmes fonctions que les services (clés de recherche, chiffrement du NIR, événements, audit), en
masse pour tenir en quelques secondes. Les étapes : ``organisation`` (structure), ``people``,
``cases`` (accompagnements et entretiens), ``outreach.appointments`` (demandes et rendez-vous).
"""

import random
import time

from django.db import transaction

from parcours.cases.models import Case, Contact
from parcours.core import clock
from parcours.core.models import Commune, Organisation, Sector
from parcours.core.nomenclatures import Fonction
from parcours.demo import cases as demo_cases
from parcours.demo import organisation as demo_organisation
from parcours.demo import orientations as demo_orientations
from parcours.demo import outreach as demo_outreach
from parcours.demo import people as demo_people
from parcours.demo import sharing as demo_sharing
from parcours.demo.common import Summary
from parcours.outreach.models import Appointment, AppointmentRequest
from parcours.people.models import Person
from parcours.steering.models import ExternalRef


def exists(code: str) -> bool:
    return Person.objects.filter(organisation__code=code).exists()


def reset(code: str) -> None:
    """Efface l'activité de démonstration ; agents, lieux et journal d'audit (immuable) restent."""
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        return
    with transaction.atomic():
        demo_orientations.reset(organisation)  # elles protègent consentements et partenaires
        demo_sharing.clear(organisation)
        cases = Case.objects.filter(organisation=organisation)
        Contact.objects.filter(case__in=cases).delete()
        cases.delete()
        Appointment.objects.filter(organisation=organisation).delete()
        AppointmentRequest.objects.filter(organisation=organisation).delete()
        Person.objects.filter(organisation=organisation).delete()
        Sector.objects.filter(organisation=organisation).delete()
        ExternalRef.objects.filter(organisation=organisation).delete()  # l'historique migré


def generate(*, code: str = "carsat-demo", people: int = 2000, seed: int = 2026) -> Summary:
    started = time.perf_counter()
    rng = random.Random(seed)
    today = clock.today()
    summary = Summary()
    with transaction.atomic():
        organisation = demo_organisation.organisation(code)
        staff = demo_organisation.staff(organisation)
        sites = demo_organisation.sites(organisation)
        demo_organisation.sectors(organisation, staff)
        workers = {
            d: [
                u
                for u in staff.values()
                if u.function == Fonction.AS
                and d in demo_organisation.STAFF_DEPARTEMENTS[u.username]
            ]
            for d in ("01", "69")
        }
        communes = {
            d: list(
                Commune.objects.filter(departement_id=d)
                .exclude(population__isnull=True)
                .values_list("code", "population", "postal_codes")
            )
            for d in ("01", "69")
        }
        drawn = demo_people.people(organisation, staff["csam.ain"], people, rng, today, communes)
        persons = [person for person, _ in drawn]
        summary.people = len(persons)
        demo_cases.activity(organisation, drawn, workers, sites, rng, today, summary)
        demo_outreach.appointments(organisation, persons, workers, sites, staff, rng, today)
    summary.seconds = time.perf_counter() - started
    return summary
