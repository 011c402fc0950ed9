"""Qui voit et fait quoi en protection des données (formats.md §8).

- le registre des traitements : les administrateurs de l'organisme l'écrivent, le ou la
  délégué·e à la protection des données (DPO) et les administrateurs le lisent ;
- purges et extraits pseudonymisés : administrateurs et DPO seulement ;
- l'export d'accès d'une personne : le DPO, pour toute personne de l'organisme, et les
  responsables pour les personnes de leurs départements ; AS, accueil, pilotage et
  administrateurs (non DPO), non ;
- hors de l'organisme, 404 ; une fiche fusionnée dans une autre n'est plus un sujet d'export
  (l'export de la fiche conservée reprend son historique).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcours.core.policies import get_or_404
from parcours.core.roles import Role, agent_context
from parcours.people.models import Person
from parcours.people.policies import visible_people
from parcours.privacy.models import Processing

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from parcours.core.models import User
    from parcours.privacy.models import ExtractRun


def can_read_register(user: User) -> bool:
    ctx = agent_context(user)
    return ctx.organisation_id is not None and (ctx.is_org_admin or ctx.is_dpo)


def can_edit_register(user: User) -> bool:
    ctx = agent_context(user)
    return ctx.organisation_id is not None and ctx.is_org_admin


def can_run_purges(user: User) -> bool:
    """Purges et extraits pseudonymisés."""
    ctx = agent_context(user)
    return ctx.organisation_id is not None and (ctx.is_org_admin or ctx.is_dpo)


def can_prepare_access_exports(user: User) -> bool:
    ctx = agent_context(user)
    return ctx.organisation_id is not None and (ctx.is_dpo or ctx.role == Role.MANAGER)


def visible_access_subjects(user: User) -> QuerySet[Person]:
    """Les personnes dont ``user`` peut préparer l'export d'accès : toutes celles de
    l'organisme pour le DPO ; celles de ses départements pour un responsable ; aucune sinon."""
    ctx = agent_context(user)
    if ctx.organisation_id is None:
        return Person.objects.none()
    people = Person.objects.filter(organisation_id=ctx.organisation_id, merged_into__isnull=True)
    if ctx.is_dpo:
        return people
    if ctx.role == Role.MANAGER:
        return people.filter(departement_id__in=ctx.departements)
    return Person.objects.none()


def get_access_subject_or_404(user: User, pk: int | str) -> Person:
    return get_or_404(visible_access_subjects(user), pk)


def can_prepare_access_export(user: User, person: Person) -> bool:
    """« Droit d'accès » sur la fiche : le DPO de l'organisme, ou un responsable pour une
    personne de ses départements."""
    return visible_access_subjects(user).filter(pk=person.pk).exists()


def can_open_person_page(user: User, person: Person) -> bool:
    """La fiche de la personne est visible de l'agent (un DPO administrateur ne la voit pas :
    ses pages du droit d'accès n'y renvoient pas)."""
    return visible_people(user).filter(pk=person.pk).exists()


def visible_extract_runs(user: User) -> QuerySet[ExtractRun]:
    """Les extraits pseudonymisés lancés du web dans l'organisme : pour qui peut les lancer
    (``can_run_purges``), aucun pour les autres."""
    from parcours.privacy.models import ExtractRun

    organisation_id = agent_context(user).organisation_id
    if organisation_id is None or not can_run_purges(user):
        return ExtractRun.objects.none()
    return ExtractRun.objects.filter(organisation_id=organisation_id)


def get_extract_run_or_404(user: User, pk: object) -> ExtractRun:
    return get_or_404(visible_extract_runs(user), pk)


def can_read_retention(user: User) -> bool:
    """Les durées de conservation : lues par les administrateurs et le DPO."""
    return can_read_register(user)


def can_edit_retention(user: User) -> bool:
    """Les durées de conservation : modifiées par les administrateurs seulement."""
    return can_edit_register(user)


def can_see_privacy(user: User) -> bool:
    """L'entrée « Protection des données » du menu et sa page d'accueil."""
    return can_read_register(user)


def visible_processings(user: User) -> QuerySet[Processing]:
    """Le registre de l'organisme pour qui le lit, rien pour les autres."""
    organisation_id = agent_context(user).organisation_id
    if organisation_id is None or not can_read_register(user):
        return Processing.objects.none()
    return Processing.objects.filter(organisation_id=organisation_id)


def get_processing_or_404(user: User, pk: object) -> Processing:
    return get_or_404(visible_processings(user), pk)
