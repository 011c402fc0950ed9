"""Le contexte d'un agent (organisme, territoire, rôle), calculé une fois par requête."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from parcours.core.exceptions import BusinessError
from parcours.core.nomenclatures import Fonction

if TYPE_CHECKING:
    from parcours.core.models import User


class Role:
    AS = "as"
    FRONT_LINE = "accueil"
    MANAGER = "manager"
    STEERING = "pilotage"
    NONE = "aucun"


_ROLE_OF_FUNCTION = {
    Fonction.AS: Role.AS,
    Fonction.CSAM: Role.FRONT_LINE,
    Fonction.SECRETAIRE: Role.FRONT_LINE,
    Fonction.MANAGER: Role.MANAGER,
    Fonction.CHARGE_MISSION: Role.STEERING,
    Fonction.PILOTAGE: Role.STEERING,
}


@dataclass(frozen=True)
class AgentContext:
    user_id: int | None
    organisation_id: int | None
    departements: frozenset[str]
    role: str
    is_org_admin: bool
    is_dpo: bool = False

    @property
    def sees_people(self) -> bool:
        return self.role in {Role.AS, Role.FRONT_LINE, Role.MANAGER}

    @property
    def sees_cases(self) -> bool:
        return self.role in {Role.AS, Role.MANAGER}


ANONYMOUS = AgentContext(None, None, frozenset(), Role.NONE, False)


def agent_context(user) -> AgentContext:
    """Le contexte de ``user``, mis en cache sur l'objet (une requête SQL au plus)."""
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_agent_context", None)
    if cached is not None:
        return cached
    departements = frozenset(user.departements.values_list("code", flat=True))
    ctx = AgentContext(
        user_id=user.pk,
        organisation_id=user.organisation_id,
        departements=departements if user.organisation_id else frozenset(),
        role=_ROLE_OF_FUNCTION.get(user.function, Role.NONE) if user.organisation_id else Role.NONE,
        is_org_admin=bool(user.organisation_id and user.is_org_admin),
        is_dpo=bool(user.organisation_id and user.is_dpo),
    )
    user._agent_context = ctx
    return ctx


def organisation_of(user: User) -> int:
    """L'organisme de l'agent qui écrit ; un compte sans organisme ne peut rien enregistrer."""
    if user.organisation_id is None:
        raise BusinessError("Ce compte n'appartient à aucun organisme.")
    return user.organisation_id
