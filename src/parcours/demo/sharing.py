"""Le partage de démonstration : un second organisme sur l'installation (une CAF, mêmes
départements que la Carsat), ses agents et quelques personnes, et des parcours partagés entre
les deux — un parcours séparation ouvert par la CAF, un parcours PDP et un parcours perte
d'autonomie ouverts par la Carsat (avec une évaluation partagée), un dernier dont la personne a
retiré son consentement : la CAF en voit un de moins. Consentements, étapes des deux côtés,
synthèse en deux versions. Déterministe ; écrit par les services (journal compris), en
quelques dizaines d'écritures."""

import datetime

from django.db import transaction

from parcours.aid.models import Evaluation
from parcours.core import clock
from parcours.core import services as core_services
from parcours.core.models import Organisation, User
from parcours.core.nomenclatures import Fonction
from parcours.demo.common import PARIS
from parcours.demo.organisation import DEMO_PASSWORD, REGION
from parcours.partners.models import Partner
from parcours.people import services as people_services
from parcours.people.models import Person
from parcours.rules import wording
from parcours.sharing.models import Consent, Disclosure, EvaluationShare, SharedPathway
from parcours.sharing.services import consents as consent_services
from parcours.sharing.services import pathways as services

CAF_CODE = "caf-demo"
CAF_NAME = "CAF de l'Ain et du Rhône (démonstration)"
CAF_STAFF = [
    # identifiant, prénom, nom, fonction, départements
    ("caf.as.ain", "Agnès", "Brun", Fonction.AS, ["01"]),
    ("caf.as.rhone", "Yanis", "Haddad", Fonction.AS, ["69"]),
    ("caf.manager", "Brigitte", "Colin", Fonction.MANAGER, ["01", "69"]),
    ("caf.accueil", "Lucas", "Faure", Fonction.SECRETAIRE, ["01", "69"]),
]
CAF_PEOPLE = [
    ("Durand", "Émilie", "F", datetime.date(1988, 3, 14), "01", "01053", "06 12 34 56 01"),
    ("Petit", "Karima", "F", datetime.date(1991, 7, 2), "01", "01283", "06 12 34 56 02"),
    ("Roche", "Antoine", "M", datetime.date(1983, 11, 23), "69", "69123", "06 12 34 56 03"),
    ("Simon", "Laura", "F", datetime.date(1995, 1, 30), "69", "69266", "06 12 34 56 04"),
    ("Blanc", "Mehdi", "M", datetime.date(1979, 9, 8), "01", "01053", "06 12 34 56 05"),
]


def clear(organisation: Organisation) -> None:
    """Efface le partage des personnes de ``organisation`` (avant ses personnes : un
    consentement est protégé par les partages faits sous lui)."""
    people = Person.objects.filter(organisation=organisation)
    SharedPathway.objects.filter(person__in=people).delete()
    EvaluationShare.objects.filter(evaluation__person__in=people).delete()
    Disclosure.objects.filter(person__in=people).delete()
    Consent.objects.filter(person__in=people).delete()


def _at(day: datetime.date):
    return clock.frozen(datetime.datetime.combine(day, datetime.time(10), tzinfo=PARIS))


def caf() -> Organisation:
    found = Organisation.objects.filter(code=CAF_CODE).first()
    if found is not None:
        return found
    return core_services.create_organisation(
        actor=None,
        code=CAF_CODE,
        name=CAF_NAME,
        kind=Organisation.Kind.CAF,
        region=REGION,
        departements=["01", "69"],
    )


def caf_staff(organisation: Organisation) -> dict[str, User]:
    staff = {}
    for username, first, last, function, deps in CAF_STAFF:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "function": function,
                "organisation": organisation,
                "email": f"{username}@demo.parcours.invalid",
                "is_active": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.departements.set(deps)  # type: ignore[arg-type]
        staff[username] = user
    return staff


def _consent(person, actor, on, organisations, categories, purpose, partners=()):
    with _at(on):
        return consent_services.record_consent(
            actor=actor,
            person=person,
            categories=categories,
            purpose=purpose,
            given_on=on,
            method="ECRIT",
            given_by="PERSONNE",
            organisations=organisations,
            partners=partners,
        )


def _steps(pathway, steps):
    for on, actor, kind, text in steps:
        with _at(on):
            services.add_step(actor=actor, pathway=pathway, on=on, kind=kind, text=text)


def generate(*, code: str = "carsat-demo") -> list[str]:
    today = clock.today()
    day = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    carsat = Organisation.objects.get(code=code)
    with transaction.atomic():
        organisation = caf()
        staff = caf_staff(organisation)
        clear(organisation)  # rejouable
        Person.objects.filter(organisation=organisation).delete()
        people = []
        for last, first, sex, born, dep, commune, phone in CAF_PEOPLE:
            people.append(
                people_services.create_person(
                    actor=staff["caf.accueil"],
                    organisation_id=organisation.pk,
                    data={
                        "last_name": last,
                        "first_names": first,
                        "sex": sex,
                        "birth_date": born,
                        "departement_id": dep,
                        "commune_id": commune,
                        "phone": phone,
                    },
                )
            )
        carsat_as = User.objects.get(username="as.ain")
        carsat_as2 = User.objects.get(username="as2.ain")
        caf_as = staff["caf.as.ain"]
        local = Person.objects.filter(organisation=carsat, departement_id="01").order_by("pk")
        evaluation = (
            Evaluation.objects.filter(organisation=carsat, departement_id="01")
            .select_related("person")
            .order_by("pk")
            .first()
        )

        # 1. Parcours séparation, ouvert par la CAF, la Carsat participe.
        consent = _consent(
            people[0],
            caf_as,
            day(40),
            [carsat],
            ["IDENTITE", "ETAPES", "SYNTHESE"],
            "Parcours séparation : accompagnement coordonné CAF et Carsat",
        )
        with _at(day(40)):
            separation = services.open_pathway(
                actor=caf_as,
                person=people[0],
                purpose=SharedPathway.Purpose.SEPARATION,
                consent=consent,
                categories=["IDENTITE", "ETAPES", "SYNTHESE"],
                referent=caf_as,
                organisations=[carsat],
                opened_on=day(40),
            )
        _steps(
            separation,
            [
                (day(38), caf_as, "RENDEZ_VOUS", "RDV CAF fixé : ouverture des droits ASF"),
                (day(30), carsat_as, "DEMARCHE", "Point retraite : droits du conjoint séparé"),
                (day(12), caf_as, "DOSSIER", "Dossier d'aide au logement déposé"),
            ],
        )
        for n, text in (
            (35, "Séparation récente, deux enfants, logement à quitter d'ici trois mois."),
            (
                10,
                "Séparation récente, deux enfants. Aide au logement demandée ; droits "
                "retraite du conjoint vus avec la Carsat. Prochaine étape : relogement.",
            ),
        ):
            with _at(day(n)):
                services.write_synthesis(
                    actor=caf_as,
                    pathway=separation,
                    text=text,
                    expected_version=separation.synthesis_version,
                )
            separation.refresh_from_db()

        # 2. Parcours PDP, ouvert par la Carsat, la CAF, Cap emploi et la santé au travail.
        partners = list(
            Partner.objects.filter(
                organisation=carsat,
                kind__in=[Partner.Kind.CAP_EMPLOI, Partner.Kind.SANTE_TRAVAIL],
                territories__code="01",
            ).order_by("name")
        )
        pdp_person = local.first()
        pdp = None
        if pdp_person is not None:
            consent = _consent(
                pdp_person,
                carsat_as,
                day(60),
                [organisation],
                ["IDENTITE", "ETAPES"],
                "Prévention de la désinsertion professionnelle",
                partners=partners,
            )
            with _at(day(60)):
                pdp = services.open_pathway(
                    actor=carsat_as,
                    person=pdp_person,
                    purpose=SharedPathway.Purpose.PDP,
                    consent=consent,
                    categories=["IDENTITE", "ETAPES"],
                    referent=carsat_as,
                    organisations=[organisation],
                    partners=partners,
                    opened_on=day(60),
                )
            _steps(
                pdp,
                [
                    (day(55), carsat_as, "RENDEZ_VOUS", "Visite de pré-reprise demandée"),
                    (day(45), caf_as, "DEMARCHE", "Droits aux prestations familiales vérifiés"),
                    (day(20), carsat_as, "DOSSIER", "Dossier RQTH déposé à la MDPH"),
                ],
            )

        # 3. Perte d'autonomie, ouverte par la Carsat : l'évaluation est partagée avec la CAF.
        shares = 0
        if evaluation is not None:
            on = max(evaluation.evaluated_on, day(30))
            consent = _consent(
                evaluation.person,
                carsat_as,
                on,
                [organisation],
                ["IDENTITE", "ETAPES", "EVALUATION"],
                "Reconnaissance de l'évaluation des besoins par la CAF",
            )
            with _at(on):
                autonomy = services.open_pathway(
                    actor=carsat_as,
                    person=evaluation.person,
                    purpose=SharedPathway.Purpose.PERTE_AUTONOMIE,
                    consent=consent,
                    categories=["IDENTITE", "ETAPES", "EVALUATION"],
                    referent=carsat_as,
                    organisations=[organisation],
                    opened_on=on,
                )
                services.share_evaluation(
                    actor=carsat_as,
                    evaluation=evaluation,
                    consent=consent,
                    organisation=organisation,
                )
                shares = 1
            _steps(autonomy, [(on, carsat_as, "DEMARCHE", "Évaluation partagée avec la CAF")])

        # 4. Un parcours dont la personne a retiré son consentement : la CAF ne le voit plus.
        withdrawn_person = local[1] if local.count() > 1 else None
        if withdrawn_person is not None:
            consent = _consent(
                withdrawn_person,
                carsat_as2,
                day(90),
                [organisation],
                ["IDENTITE", "ETAPES"],
                "Accès aux droits",
            )
            with _at(day(90)):
                services.open_pathway(
                    actor=carsat_as2,
                    person=withdrawn_person,
                    purpose=SharedPathway.Purpose.AUTRE,
                    label="Accès aux droits",
                    consent=consent,
                    categories=["IDENTITE", "ETAPES"],
                    referent=carsat_as2,
                    organisations=[organisation],
                    opened_on=day(90),
                )
            with _at(day(15)):
                consent_services.withdraw_consent(
                    actor=carsat_as2, consent=consent, reason="À la demande de la personne"
                )
    pathways = SharedPathway.objects.filter(organisation__in=[carsat, organisation]).count()
    return [
        wording.count(len(people), "une personne CAF|personnes CAF"),
        wording.count(pathways, "un parcours partagé|parcours partagés"),
        wording.count(shares, "une évaluation partagée"),
    ]
