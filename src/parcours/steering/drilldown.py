"""Derrière chaque chiffre : les enregistrements qu'il compte (mêmes requêtes que le rapport).

Un chiffre est désigné par un code : ``personnes``, ``personnes_individuel``,
``personnes_collectif``, ``sexe:F``, ``age:26_45``, ``entretiens``,
``face_a_face``, ``mode:VAD``, ``programme:PDP``, ``pdp_accompagnes``, ``pdp_clotures``,
``collectif_participants``, ``pdp_information_collective``, ``pdp_service_medical``,
``signalements``, ``emetteur:SERVICE_MEDICAL``, ``offres``, ``offres_suivies``. Les
personnes aidées sont l'union des personnes ayant un entretien et des personnes présentes à une
séance collective (``groups.Registration``), comme dans le rapport.
:func:`records` donne les enregistrements sans filtre de droits (personnes, entretiens ou
accompagnements) ; la vue les croise avec les politiques (responsable) ou n'en montre que des
agrégats (pilotage).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from parcours.cases.models import Case, Contact
from parcours.core.nomenclatures import (
    FACE_TO_FACE_MODES,
    Emetteur,
    Mode,
    Programme,
    Sexe,
    TypeCollectif,
)
from parcours.outreach.models import Referral, ServiceOffer
from parcours.people.models import Person
from parcours.rules import report as rules
from parcours.steering import report
from parcours.steering.tables import AGE_LABELS

PEOPLE, CONTACTS, CASES = "personnes", "entretiens", "accompagnements"
REFERRALS, OFFERS = "signalements", "offres"


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    kind: str


def figure(code: str) -> Figure | None:
    if code == "personnes":
        return Figure(code, "Personnes aidées individuellement ou collectivement", PEOPLE)
    if code == "personnes_individuel":
        return Figure(code, "Personnes aidées individuellement", PEOPLE)
    if code == "personnes_collectif":
        return Figure(code, "Personnes aidées collectivement", PEOPLE)
    if code == "collectif_participants":
        return Figure(code, "Participants présents aux séances collectives", PEOPLE)
    if code == "pdp_information_collective":
        return Figure(code, "Participants aux réunions d'information collective PDP", PEOPLE)
    if code == "pdp_service_medical":
        return Figure(code, "Personnes signalées par le service médical", PEOPLE)
    if code == "entretiens":
        return Figure(code, "Entretiens", CONTACTS)
    if code == "face_a_face":
        return Figure(code, "Entretiens en face à face", CONTACTS)
    if code.startswith("mode:") and code[5:] in Mode.values:
        return Figure(code, f"Entretiens — {Mode(code[5:]).label}", CONTACTS)
    if code.startswith("programme:") and code[10:] in Programme.values:
        return Figure(code, f"Personnes aidées — {Programme(code[10:]).label}", PEOPLE)
    if code.startswith("sexe:") and code[5:] in Sexe.values:
        return Figure(code, f"Personnes aidées — {Sexe(code[5:]).label.lower()}s", PEOPLE)
    band = next((b for b in rules.AGE_BANDS if code == f"age:{b.key}"), None)
    if band is not None:
        return Figure(code, f"Personnes aidées — {AGE_LABELS[band.key].lower()}", PEOPLE)
    if code == "signalements":
        return Figure(code, "Signalements reçus", REFERRALS)
    if code.startswith("emetteur:") and code[9:] in Emetteur.values:
        return Figure(code, f"Signalements — {Emetteur(code[9:]).label}", REFERRALS)
    if code == "offres":
        return Figure(code, "Offres de service envoyées", OFFERS)
    if code == "offres_suivies":
        return Figure(code, "Offres suivies d'une intervention dans les 90 jours", OFFERS)
    if code == "pdp_accompagnes":
        return Figure(code, "Personnes accompagnées en PDP (accompagnement retenu)", CASES)
    if code == "pdp_clotures":
        return Figure(code, "Accompagnements PDP clos dans l'année", CASES)
    return None


def records(scope: report.Scope, fig: Figure) -> QuerySet:
    """Les enregistrements comptés par ``fig`` sur ``scope`` (aucun filtre de droits)."""
    if fig.kind == REFERRALS:
        referrals = report.referrals_of_year(scope)
        if fig.code.startswith("emetteur:"):
            referrals = referrals.filter(emitter=fig.code[9:])
        return Referral.objects.filter(pk__in=referrals.values("pk"))
    if fig.kind == OFFERS:
        offers = report.offers_of_year(scope)
        if fig.code == "offres_suivies":
            offers = report.followed_offers(scope)
        return ServiceOffer.objects.filter(pk__in=offers.values("pk"))
    contacts = report.contacts_of_year(scope)
    if fig.code == "face_a_face":
        contacts = contacts.filter(mode__in=[m.value for m in FACE_TO_FACE_MODES])
    elif fig.code.startswith("mode:"):
        contacts = contacts.filter(mode=fig.code[5:])
    elif fig.code.startswith("programme:"):
        contacts = contacts.filter(case__programme=fig.code[10:])
    if fig.kind == CONTACTS:
        return Contact.objects.filter(pk__in=contacts.values("pk"))
    if fig.kind == PEOPLE:
        people = Person.objects.filter(
            Q(pk__in=contacts.values("case__person_id")) | Q(pk__in=_present(scope, fig))
        )
        if fig.code == "personnes_individuel":
            people = Person.objects.filter(pk__in=contacts.values("case__person_id"))
        elif fig.code in ("collectif_participants", "personnes_collectif"):
            people = Person.objects.filter(pk__in=_present(scope, fig))
        elif fig.code == "pdp_information_collective":
            people = Person.objects.filter(
                pk__in=report.present_of_year(scope)
                .filter(
                    session__action__type=TypeCollectif.INFO_COLLECTIVE,
                    session__action__programme=Programme.PDP,
                )
                .values("person_id")
            )
        elif fig.code == "pdp_service_medical":
            people = Person.objects.filter(
                pk__in=report.referrals_of_year(scope)
                .filter(emitter=Emetteur.SERVICE_MEDICAL)
                .values("person_id")
            )
        if fig.code.startswith("sexe:"):
            people = people.filter(sex=fig.code[5:])
        elif fig.code.startswith("age:"):
            band = next(b for b in rules.AGE_BANDS if fig.code == f"age:{b.key}")
            first, last = rules.birth_range(band, scope.year)
            if first is not None:
                people = people.filter(birth_date__gte=first)
            if last is not None:
                people = people.filter(birth_date__lte=last)
        return people
    if fig.code == "pdp_accompagnes":
        per_dep = scope.territory.level == report.DEPARTEMENT
        return Case.objects.filter(
            pk__in=report.pdp_profile_cases(scope, per_departement=per_dep).values("pk")
        )
    return Case.objects.filter(pk__in=report.closures(scope).values("pk"))


def _present(scope: report.Scope, fig: Figure) -> QuerySet:
    """Les personnes présentes à une séance de l'année (du programme pour ``programme:X``)."""
    present = report.present_of_year(scope)
    if fig.code.startswith("programme:"):
        present = present.filter(session__action__programme=fig.code[10:])
    return present.values("person_id")


def _people_by_departement(scope: report.Scope, fig: Figure) -> list[dict]:
    """Personnes distinctes par département : une requête par département du territoire
    (chacun compte ses personnes, comme le rapport), jamais une boucle sur les personnes."""
    codes: Iterable[str] | None = scope.territory.departements
    if codes is None:
        codes = sorted(
            set(report.contacts_of_year(scope).values_list("case__departement_id", flat=True))
            | set(
                report.present_of_year(scope).values_list(
                    "session__action__departement_id", flat=True
                )
            )
            | set(report.referrals_of_year(scope).values_list("dep", flat=True))
        )
    rows = []
    for code in codes:
        where = report.departement_territory(code, {})
        n = records(report.Scope(scope.organisation_id, scope.year, where, False), fig).count()
        if n:
            rows.append({"code": code, "n": n})
    return rows


def aggregates(scope: report.Scope, fig: Figure) -> dict:
    """Ce que le pilotage voit derrière un chiffre : le total (le chiffre), des comptes par
    département et par AS."""
    rows = records(scope, fig)
    if fig.kind == CASES:
        dep, staff = "departement_id", "referent"
        measure = Count("id")
    elif fig.kind == REFERRALS:
        dep, staff = "departement_id", "assigned_to"
        measure = Count("id")
    elif fig.kind == OFFERS:
        dep, staff = "departement_id", "campaign__created_by"
        measure = Count("id")
    elif fig.kind == CONTACTS:
        dep, staff = "case__departement_id", "staff"
        measure = Count("id")
    else:
        rows = report.contacts_of_year(scope).filter(
            case__person_id__in=records(scope, fig).values("pk")
        )
        if fig.code.startswith("programme:"):
            rows = rows.filter(case__programme=fig.code[10:])
        dep, staff = "case__departement_id", "staff"
        measure = Count("case__person_id", distinct=True)
    by_dep = list(rows.order_by().values(dep).annotate(n=measure).order_by(dep))
    departements = [{"code": r[dep], "n": r["n"]} for r in by_dep]
    if fig.kind == PEOPLE:
        departements = _people_by_departement(scope, fig)
    by_staff = list(
        rows.order_by()
        .values(f"{staff}__last_name", f"{staff}__first_name")
        .annotate(n=measure)
        .filter(~Q(n=0))
        .order_by(f"{staff}__last_name", f"{staff}__first_name")
    )
    return {
        "total": records(scope, fig).count(),  # le chiffre lui-même, sur tout le territoire
        "departements": departements,
        "agents": [
            {
                "nom": " ".join(filter(None, [r[f"{staff}__first_name"], r[f"{staff}__last_name"]]))
                or "Sans AS référente",
                "n": r["n"],
            }
            for r in by_staff
        ],
    }
