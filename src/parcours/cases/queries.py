"""Lectures partagées par les pages : tableaux de bord de l'AS et du responsable, chronologie
d'une personne, AS qui la suivent.

Les agrégats sont faits en SQL ; les seuils (4 mois, objectif de VAD) viennent de
``rules.timers``. Les demandes et rendez-vous de « Mon activité » (détection) sont lus par la page
composée (``www/queries.py``).
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce

from parcours.cases.models import Case, Contact
from parcours.cases.policies import visible_cases, visible_contacts
from parcours.core.models import User
from parcours.core.nomenclatures import Fonction, Mode
from parcours.rules import calendar, timers


def with_last_activity(cases):
    """Annote la dernière activité : dernier entretien, sinon date d'ouverture."""
    return cases.annotate(last_contact_on=Max("contacts__on")).annotate(
        last_activity_on=Coalesce("last_contact_on", "opened_on")
    )


def my_open_cases(user):
    return (
        with_last_activity(visible_cases(user).filter(referent=user, state=Case.State.OUVERT))
        .select_related("person")
        .order_by("last_activity_on", "pk")
    )


def month_figures(user, today: date) -> dict:
    first, last = calendar.month_bounds(today)
    contacts = visible_contacts(user).filter(staff=user, on__gte=first, on__lte=last)
    by_mode = dict(contacts.values_list("mode").annotate(n=Count("id")).order_by())
    totals = contacts.aggregate(
        total=Count("id"),
        people=Count("case__person", distinct=True),
        home_visits=Count("id", filter=Q(mode=Mode.VAD)),
    )
    return {
        "first": first,
        "last": last,
        "by_mode": [(m, by_mode.get(m.value, 0)) for m in Mode],
        **totals,
    }


def team_figures(user, today: date, organisation) -> list[dict]:
    """Pour chaque AS des départements du responsable : file active, accompagnements ouverts,
    visites à domicile de l'année face à l'objectif au prorata (``rules.timers``)."""
    year_start = date(today.year, 1, 1)
    ctx_departements = user.departements.values_list("code", flat=True)
    workers = list(
        User.objects.filter(
            organisation_id=organisation.pk,
            function=Fonction.AS,
            is_active=True,
            departements__code__in=ctx_departements,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )
    contacts = visible_contacts(user).filter(on__gte=year_start, on__lte=today, staff__in=workers)
    per_staff = {
        row["staff"]: row
        for row in contacts.values("staff")
        .annotate(
            caseload=Count("case__person", distinct=True),
            home_visits=Count("id", filter=Q(mode=Mode.VAD)),
            contacts=Count("id"),
        )
        .order_by()
    }
    open_cases = dict(
        visible_cases(user)
        .filter(state=Case.State.OUVERT, referent__in=workers)
        .values_list("referent")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = []
    for worker in workers:
        stats: Mapping[str, Any] = per_staff.get(worker.pk, {})
        fte = worker.fte or Decimal(1)
        target = int((Decimal(organisation.home_visit_target) * fte).to_integral_value())
        home_visits = stats.get("home_visits", 0)
        rows.append(
            {
                "worker": worker,
                "fte": fte,
                "caseload": stats.get("caseload", 0),
                "caseload_per_fte": round(stats.get("caseload", 0) / float(fte), 1) if fte else 0,
                "contacts": stats.get("contacts", 0),
                "open_cases": open_cases.get(worker.pk, 0),
                "home_visits": home_visits,
                "home_visit_target": target,
                "home_visit_target_to_date": timers.home_visit_target_to_date(target, today),
                "home_visit_status": timers.home_visit_status(home_visits, target, today),
            }
        )
    return rows


def timeline(person, cases, contacts):
    """La chronologie d'une personne : accompagnements (ouverture, clôture) et entretiens, du plus
    récent au plus ancien, toutes années confondues."""
    items = []
    for case in cases:
        items.append({"on": case.opened_on, "kind": "ouverture", "case": case})
        if case.closed_on:
            items.append({"on": case.closed_on, "kind": "cloture", "case": case})
    for contact in contacts:
        items.append(
            {"on": contact.on, "kind": "entretien", "contact": contact, "case": contact.case}
        )
    order = {"cloture": 0, "entretien": 1, "ouverture": 2}
    items.sort(key=lambda i: (i["on"], -order[i["kind"]]), reverse=True)
    return items


def cases_of_person(user, person):
    """Les accompagnements de ``person`` que ``user`` voit, du plus récent au plus ancien."""
    return (
        visible_cases(user)
        .filter(person=person)
        .select_related("referent", "departement")
        .order_by("-opened_on")
    )


def followers(person_ids: list[int]) -> dict[int, list[str]]:
    """Pour des personnes déjà autorisées : les AS référentes de leurs accompagnements ouverts.

    L'accueil y a droit (savoir qui suit la personne) sans voir le contenu des accompagnements.
    """
    if not person_ids:
        return {}
    rows = (
        Case.objects.filter(
            person_id__in=person_ids, state=Case.State.OUVERT, referent__isnull=False
        )
        .values_list("person_id", "referent__first_name", "referent__last_name")
        .order_by("referent__last_name")
    )
    result: dict[int, list[str]] = {}
    for person_id, first, last in rows:
        name = f"{first} {last}".strip()
        if name not in result.setdefault(person_id, []):
            result[person_id].append(name)
    return result


def contacts_of(cases):
    return (
        Contact.objects.filter(case__in=cases)
        .select_related("staff", "case")
        .prefetch_related("actions", "problems")
        .order_by("-on", "-id")
    )


def departement_figures(user, today: date) -> list[dict]:
    """Par département du responsable, depuis le 1er janvier : accompagnements ouverts (à ce jour),
    personnes aidées individuellement, entretiens et visites à domicile."""
    year_start = date(today.year, 1, 1)
    contacts = (
        visible_contacts(user)
        .filter(on__gte=year_start, on__lte=today)
        .values("case__departement")
        .annotate(
            people=Count("case__person", distinct=True),
            contacts=Count("id"),
            home_visits=Count("id", filter=Q(mode=Mode.VAD)),
        )
        .order_by()
    )
    open_cases = dict(
        visible_cases(user)
        .filter(state=Case.State.OUVERT)
        .values_list("departement")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_departement: dict[str, Mapping[str, Any]] = {
        row["case__departement"]: row for row in contacts
    }
    return [
        {
            "departement": code,
            "open_cases": open_cases.get(code, 0),
            **{
                k: by_departement.get(code, {}).get(k, 0)
                for k in ("people", "contacts", "home_visits")
            },
        }
        for code in sorted(user.departements.values_list("code", flat=True))
    ]
