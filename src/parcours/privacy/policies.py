"""Qui voit et fait quoi en protection des données (formats.md §8).

- le registre des traitements : les administrateurs de l'organisme l'écrivent, le ou la
  délégué·e à la protection des données (DPO) et les administrateurs le lisent ;
- purges et extraits pseudonymisés : administrateurs et DPO seulement ;
- l'export d'accès d'une personne : le DPO, et les responsables pour les personnes de leurs
  départements ;
- hors de l'organisme, 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcours.core.roles import Role, agent_context

if TYPE_CHECKING:
    from parcours.core.models import User


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
