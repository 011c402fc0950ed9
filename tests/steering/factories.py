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


# ---------------------------------------------------------------- collectif (groups)

_animators = {}


def animator(org):
    """Un·e AS des deux départements de l'organisme de test, pour écrire par les services."""
    cached = _animators.get(org.pk)
    if cached is None or not type(cached).objects.filter(
        pk=cached.pk, organisation=org, username=cached.username
    ):
        _animators[org.pk] = UserFactory(
            organisation=org, social_worker=True, departements=["01", "69"]
        )
    return _animators[org.pk]


def action(org, *, type=None, programme=Programme.PDP, departement="01"):
    from parcours.core.nomenclatures import TypeCollectif
    from tests.groups.factories import make_action

    return make_action(
        org=org,
        actor=animator(org),
        type=type or TypeCollectif.INFO_COLLECTIVE,
        programme=programme,
        departement=departement,
    )


def session(of_action, on):
    from tests.groups.factories import make_session

    return make_session(action=of_action, actor=animator(of_action.organisation), date=on)


def attend(of_session, who, present=True):
    from tests.groups.factories import make_registration

    return make_registration(
        session=of_session, person=who, actor=animator(of_session.organisation), present=present
    )


# ---------------------------------------------------------------- détection (outreach)


def referral(who, on, *, emitter="SERVICE_MEDICAL", departement=None):
    from parcours.outreach.models import Referral

    return Referral.objects.create(
        organisation=who.organisation,
        person=who,
        emitter=emitter,
        received_on=on,
        reason="Arrêt long",
        programme=Programme.PDP,
        departement_id=departement or who.departement_id,
    )


def offer(who, sent, *, departement=None, reference=None):
    from parcours.core.nomenclatures import Canal
    from parcours.outreach.models import Campaign, ServiceOffer

    campaign = Campaign.objects.create(
        organisation=who.organisation,
        name="Campagne",
        channel=Canal.COURRIER,
        proposal=Campaign.Proposal.RENDEZ_VOUS,
        programme=Programme.PDP,
        sent_on=sent,
        created_by=staff(who.organisation),
    )
    return ServiceOffer.objects.create(
        organisation=who.organisation,
        campaign=campaign,
        person=who,
        reference=reference or f"OFF-{who.pk}-{sent:%Y%m%d}",
        sent_on=sent,
        channel=Canal.COURRIER,
        programme=Programme.PDP,
        departement_id=departement or who.departement_id,
    )


def front_line(org, on, *, departement="01", who=None):
    from parcours.outreach.models import FrontLineContact

    return FrontLineContact.objects.create(
        organisation=org,
        at=datetime.datetime.combine(on, datetime.time(10), tzinfo=datetime.UTC),
        date=on,
        departement_id=departement,
        agent=staff(org),
        person=who,
        channel=FrontLineContact.Channel.TELEPHONE,
        reason="Question",
        answer=FrontLineContact.Answer.INFORMATION,
    )
