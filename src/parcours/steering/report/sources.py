"""Les sources de personnes d'une année : entretiens, accompagnements, présences aux séances."""

from __future__ import annotations

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
)

from parcours.cases.models import Contact
from parcours.core.nomenclatures import (
    FACE_TO_FACE_MODES,
    Mode,
)
from parcours.groups.models import Registration, Session
from parcours.steering.report.scope import Scope


def contacts_of_year(scope: Scope) -> QuerySet:
    """Les entretiens datés dans l'année, du territoire (département de l'accompagnement)."""
    first, last = scope.bounds
    return Contact.objects.filter(
        Q(organisation_id=scope.organisation_id, on__gte=first, on__lte=last)
        & scope.dep_filter("case__departement_id")
    ).order_by()


MODE_COLUMNS = [f"mode_{m.lower()}" for m in Mode.values]


def individual_people(scope: Scope) -> QuerySet:
    """Une ligne par accompagnement ayant des entretiens dans l'année : ``cid``, ``dep``,
    ``pid``, ``grp`` (programme), le nombre d'entretiens ``n``, en face à face ``faf`` et par
    mode (``mode_vad``…)."""
    face = [m.value for m in FACE_TO_FACE_MODES]
    return (
        contacts_of_year(scope)
        .values(
            cid=F("case_id"),
            dep=F("case__departement_id"),
            pid=F("case__person_id"),
            grp=F("case__programme"),
        )
        .annotate(
            n=Count("id"),
            faf=Count("id", filter=Q(mode__in=face)),
            **{c: Count("id", filter=Q(mode=m)) for c, m in zip(MODE_COLUMNS, Mode.values)},
        )
        .order_by()
    )


def present_of_year(scope: Scope) -> QuerySet:
    """Les présences (``groups.Registration``, ``present=True``) aux séances datées dans l'année,
    du territoire (département de l'action)."""
    first, last = scope.bounds
    return Registration.objects.filter(
        Q(
            organisation_id=scope.organisation_id,
            present=True,
            session__date__gte=first,
            session__date__lte=last,
        )
        & scope.dep_filter("session__action__departement_id")
    ).order_by()


def sessions_of_year(scope: Scope) -> QuerySet:
    """Les séances datées dans l'année, du territoire (département de l'action)."""
    first, last = scope.bounds
    return Session.objects.filter(
        Q(organisation_id=scope.organisation_id, date__gte=first, date__lte=last)
        & scope.dep_filter("action__departement_id")
    ).order_by()


def collective_people(scope: Scope) -> QuerySet:
    """(dep, pid, grp) distincts : personnes présentes à une séance datée dans l'année, avec le
    département et le programme de l'action (``groups.Registration``, ``present=True``)."""
    return (
        present_of_year(scope)
        .values(
            dep=F("session__action__departement_id"),
            pid=F("person_id"),
            grp=F("session__action__programme"),
        )
        .distinct()
        .order_by()
    )
