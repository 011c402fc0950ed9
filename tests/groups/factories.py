"""Fabriques des actions collectives : les écritures passent par les services."""

import datetime

from parcours.core.nomenclatures import Programme, TypeCollectif
from parcours.groups import services
from parcours.groups.models import Registration


def make_action(
    *,
    org,
    actor,
    type=TypeCollectif.INFO_COLLECTIVE,
    programme=Programme.PDP,
    departement="01",
    title="Réunion d'information PDP",
    facilitators=(),
):
    return services.create_action(
        actor=actor,
        organisation_id=org.pk,
        data={"type": type, "programme": programme, "title": title, "departement_id": departement},
        facilitators=facilitators,
    )


def make_session(*, action, actor, date=datetime.date(2026, 3, 10), capacity=10, site=None):
    from parcours.core import clock

    with clock.frozen(datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.UTC)):
        return services.add_session(
            actor=actor,
            action=action,
            date=date,
            start_time=datetime.time(14, 0),
            capacity=capacity,
            site=site,
            partner_place="" if site else "Salle des fêtes",
        )


def make_registration(*, session, person, actor, present=None, relation=None):
    """Inscrit (à une date antérieure à la séance) puis marque la présence si demandée."""
    from parcours.core import clock

    day = min(session.date, datetime.date(2026, 1, 1))
    with clock.frozen(datetime.datetime.combine(day, datetime.time(8), tzinfo=datetime.UTC)):
        registration, _ = services.register(
            actor=actor,
            session=session,
            person=person,
            relation=relation or Registration.Relation.PERSONNE,
        )
    if present is not None:
        with clock.frozen(
            datetime.datetime.combine(session.date, datetime.time(18), tzinfo=datetime.UTC)
        ):
            services.mark_attendance(
                actor=actor, session=session, presence={registration.pk: present}
            )
        registration.refresh_from_db()
    return registration
