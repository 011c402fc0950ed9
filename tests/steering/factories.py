"""Données faites à la main pour le rapport d'activité : des dates passées, exactes."""

import datetime

from parcours.cases.models import Case, Contact
from parcours.core.nomenclatures import Mode, Origine, Programme
from parcours.people.models import Person
from parcours.people.services import derive_search_keys
from tests.factories import UserFactory


def person(org, *, sex="F", born=datetime.date(1970, 5, 17), departement="01", name="Martin"):
    p = Person(
        organisation=org,
        last_name=name,
        first_names="Claire",
        sex=sex,
        birth_date=born,
        departement_id=departement,
    )
    derive_search_keys(p)
    p.save()
    return p


def case(
    who,
    *,
    departement=None,
    programme=Programme.PDP,
    opened=datetime.date(2025, 1, 10),
    closed=None,
    outcome="",
    risk="",
    sector="",
    referent=None,
):
    return Case.objects.create(
        organisation=who.organisation,
        person=who,
        programme=programme,
        origin=Origine.SIGNALEMENT,
        departement_id=departement or who.departement_id,
        opened_on=opened,
        state=Case.State.CLOS if closed else Case.State.OUVERT,
        closed_on=closed,
        outcome=outcome,
        risk=risk,
        sector=sector,
        referent=referent,
    )


_staff = {}


def staff(org):
    cached = _staff.get(org.pk)
    if cached is None or not type(cached).objects.filter(
        pk=cached.pk, organisation=org, username=cached.username
    ):
        _staff[org.pk] = UserFactory(organisation=org, social_worker=True, departements=["01"])
    return _staff[org.pk]


def contact(of_case, on, mode=Mode.RECEPTION_RDV, by=None):
    return Contact.objects.create(
        organisation=of_case.organisation,
        case=of_case,
        on=on,
        mode=mode,
        staff=by or staff(of_case.organisation),
    )
