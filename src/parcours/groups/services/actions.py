"""Actions collectives et séances : création, modification, lieux et places."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from parcours.core import audit
from parcours.core.exceptions import BusinessError
from parcours.core.models import Commune, Site
from parcours.core.nomenclatures import Programme, TypeCollectif
from parcours.groups.models import GroupAction, Registration, Session
from parcours.groups.services.registrations import _locked_session, _promote, _taken
from parcours.rules import wording

if TYPE_CHECKING:
    from parcours.core.models import User
    from parcours.partners.models import Partner

ACTION_FIELDS = (
    "type",
    "programme",
    "title",
    "title_is_public",
    "public",
    "partners",
    "cofunders",
    "departement_id",
    "partner_facilitators",
    "description",
    "grant",
)


def _check_facilitators(organisation_id: int, facilitators: Iterable[User]) -> None:
    for user in facilitators:
        if user.organisation_id != organisation_id:
            raise BusinessError({"facilitators": "Animateur inconnu dans cet organisme."})


def _check_grant(organisation_id: int, data: dict[str, Any]) -> None:
    grant = data.get("grant")
    if grant is not None and grant.application.call.organisation_id != organisation_id:
        raise BusinessError({"grant": "Subvention inconnue dans cet organisme."})


def _check_partners(organisation_id: int, field: str, partners: Iterable[Partner]) -> list[Partner]:
    """Les partenaires de l'annuaire de l'organisme, sinon refusé."""
    partners = list(partners)
    if any(p.organisation_id != organisation_id for p in partners):
        raise BusinessError({field: "Partenaire inconnu dans l'annuaire de l'organisme."})
    return partners


def _set_partners(
    action: GroupAction,
    directory_partners: Iterable[Partner] | None,
    facilitator_partners: Iterable[Partner] | None,
) -> None:
    if directory_partners is not None:
        action.directory_partners.set(directory_partners)
    if facilitator_partners is not None:
        action.facilitator_partners.set(facilitator_partners)


@transaction.atomic
def create_action(
    *,
    actor: User,
    organisation_id: int,
    data: dict[str, Any],
    facilitators: Iterable[User] = (),
    directory_partners: Iterable[Partner] = (),
    facilitator_partners: Iterable[Partner] = (),
) -> GroupAction:
    if data.get("type") not in TypeCollectif.values:
        raise BusinessError({"type": "Type d'action inconnu."})
    if data.get("programme") not in Programme.values:
        raise BusinessError({"programme": "Programme inconnu."})
    _check_facilitators(organisation_id, facilitators)
    _check_grant(organisation_id, data)
    directory_partners = _check_partners(organisation_id, "directory_partners", directory_partners)
    facilitator_partners = _check_partners(
        organisation_id, "facilitator_partners", facilitator_partners
    )
    action = GroupAction.objects.create(
        organisation_id=organisation_id,
        created_by=actor,
        **{k: v for k, v in data.items() if k in ACTION_FIELDS},
    )
    action.facilitators.set(facilitators)
    _set_partners(action, directory_partners, facilitator_partners)
    audit.record_write(
        actor=actor, obj=action, before=None, person_id=None, summary="Action collective créée"
    )
    return action


@transaction.atomic
def update_action(
    *,
    actor: User,
    action: GroupAction,
    data: dict[str, Any],
    facilitators: Iterable[User] = (),
    directory_partners: Iterable[Partner] | None = None,
    facilitator_partners: Iterable[Partner] | None = None,
) -> GroupAction:
    """Modifie l'action ; les partenaires de l'annuaire restent tels quels s'ils ne sont pas
    donnés (``None``)."""
    _check_facilitators(action.organisation_id, facilitators)
    _check_grant(action.organisation_id, data)
    if directory_partners is not None:
        directory_partners = _check_partners(
            action.organisation_id, "directory_partners", directory_partners
        )
    if facilitator_partners is not None:
        facilitator_partners = _check_partners(
            action.organisation_id, "facilitator_partners", facilitator_partners
        )
    before = audit.snapshot(action)
    for key, value in data.items():
        if key in ACTION_FIELDS:
            setattr(action, key, value)
    action.save()
    action.facilitators.set(facilitators)
    _set_partners(action, directory_partners, facilitator_partners)
    audit.record_write(
        actor=actor, obj=action, before=before, person_id=None, summary="Action collective modifiée"
    )
    return action


def _session_errors(
    action: GroupAction,
    *,
    site: Site | None,
    partner_place: str,
    video: bool,
    partner: Partner | None = None,
    capacity: int | None,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if site is not None and site.organisation_id != action.organisation_id:
        errors["site"] = "Lieu inconnu dans cet organisme."
    if partner is not None and partner.organisation_id != action.organisation_id:
        errors["partner"] = "Partenaire inconnu dans l'annuaire de l'organisme."
    if not video and site is None and partner is None and not partner_place.strip():
        errors["site"] = (
            "Indiquez un lieu d'accueil, le lieu d'un partenaire ou la visioconférence."
        )
    if site is not None and (partner_place.strip() or partner is not None):
        errors["partner_place"] = "Un seul lieu : le nôtre ou celui d'un partenaire."
    if capacity is None or capacity < 1:
        errors["capacity"] = "Au moins une place."
    if end_time is not None and start_time is not None and end_time <= start_time:
        errors["end_time"] = "L'heure de fin doit suivre l'heure de début."
    return errors


@transaction.atomic
def add_session(
    *,
    actor: User,
    action: GroupAction,
    date: datetime.date,
    start_time: datetime.time,
    capacity: int,
    end_time: datetime.time | None = None,
    site: Site | None = None,
    partner_place: str = "",
    video: bool = False,
    partner: Partner | None = None,
    commune: Commune | None = None,
) -> Session:
    """Ajoute une séance. ``commune`` : la commune où elle se tient quand ni le lieu d'accueil
    ni le partenaire de l'annuaire ne la donnent (croisement de l'observatoire des fragilités,
    ``groups.queries.session_commune``) ; au journal avec le reste de la séance."""
    errors = _session_errors(
        action,
        site=site,
        partner_place=partner_place,
        video=video,
        partner=partner,
        capacity=capacity,
        start_time=start_time,
        end_time=end_time,
    )
    if errors:
        raise BusinessError(errors)
    session = Session.objects.create(
        organisation_id=action.organisation_id,
        action=action,
        date=date,
        start_time=start_time,
        end_time=end_time,
        site=site,
        partner_place="" if video else partner_place.strip(),
        partner=None if video else partner,
        commune=commune,
        video=video,
        capacity=capacity,
    )
    after = {
        k: v.isoformat() if isinstance(v, datetime.time) else v
        for k, v in audit.snapshot(session).items()
    }
    audit.record(
        actor=actor,
        action="CREATE",
        obj=session,
        summary="Séance ajoutée",
        changes={k: {"avant": None, "apres": v} for k, v in after.items()},
    )
    return session


@transaction.atomic
def update_session(
    *,
    actor: User,
    session: Session,
    date: datetime.date,
    start_time: datetime.time,
    capacity: int,
    end_time: datetime.time | None = None,
    site: Site | None = None,
    partner_place: str = "",
    video: bool = False,
    partner: Partner | None = None,
    commune: Commune | None = None,
) -> tuple[Session, list[Registration]]:
    """Modifie une séance ; des places en plus font monter la liste d'attente (renvoyée).

    Moins de places que d'inscrits : refusé (personne n'est désinscrit en silence).
    ``commune`` : comme pour ``add_session`` (``None`` l'efface).
    """
    session = _locked_session(session)
    errors = _session_errors(
        session.action,
        site=site,
        partner_place=partner_place,
        video=video,
        partner=partner,
        capacity=capacity,
        start_time=start_time,
        end_time=end_time,
    )
    taken = _taken(session)
    if capacity is not None and capacity < taken:
        errors["capacity"] = (
            f"Déjà {wording.count(taken, 'une personne inscrite')} : annulez des inscriptions "
            "avant de réduire le nombre de places."
        )
    if errors:
        raise BusinessError(errors)
    before = {k: str(v) for k, v in audit.snapshot(session).items()}
    session.date, session.start_time, session.end_time = date, start_time, end_time
    session.capacity, session.site, session.video = capacity, site, video
    session.partner_place = "" if video else partner_place.strip()
    session.partner = None if video else partner
    session.commune = commune
    session.save()
    after = {k: str(v) for k, v in audit.snapshot(session).items()}
    audit.record(
        actor=actor,
        action="UPDATE",
        obj=session,
        summary="Séance modifiée",
        changes=audit.diff(before, after),
    )
    return session, _promote(actor=actor, session=session)
