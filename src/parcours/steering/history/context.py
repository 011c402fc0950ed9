"""Ce que partagent les écritures de l'import d'historique : l'organisme, l'agent, l'audit du
lot, les identifiants (d'origine -> Parcours) et les références externes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password

from parcours.core import bulk
from parcours.core.models import Organisation, User
from parcours.steering.models import ExternalRef

#: Lignes écrites par appel d'un service « en masse » (et entre deux messages d'avancement).
BATCH = 5000

T = TypeVar("T")


def chunks(items: Sequence[T]) -> Iterator[tuple[int, Sequence[T]]]:
    """``items`` par paquets de :data:`BATCH` : (début, paquet)."""
    for start in range(0, len(items), BATCH):
        yield start, items[start : start + BATCH]


@dataclass
class Writer:
    """L'état d'un import réel, passé d'un domaine à l'autre dans la même transaction."""

    organisation: Organisation
    actor: User | None
    progress: Callable[[str], None]
    known: dict[str, dict[str, Any]]
    audit: bulk.BatchAudit
    #: type de référence -> identifiant d'origine -> identifiant Parcours (anciens et nouveaux)
    ids: dict[str, dict[str, int]] = field(default_factory=dict)
    #: accompagnement créé -> son AS référente (les entretiens la prennent à défaut d'agent)
    referents: dict[int, int | None] = field(default_factory=dict)
    _unusable: str = ""
    _history_agent: int | None = None

    def __post_init__(self) -> None:
        self.ids = {kind: dict(self.known[kind]) for kind in ExternalRef.Kind.values}

    @property
    def unusable_password(self) -> str:
        """Le mot de passe des agents importés : aucun (compte inactif, connexion impossible)."""
        if not self._unusable:
            self._unusable = make_password(None)
        return self._unusable

    def refs(self, kind: str, pairs: Sequence[tuple[str, int]]) -> None:
        """Garde la référence externe des lignes créées (``(identifiant d'origine, id)``)."""
        bulk.insert_rows(
            ExternalRef,
            ["organisation_id", "kind", "source_id", "object_id"],
            [(self.organisation.pk, kind, source, pk) for source, pk in pairs],
        )
        self.ids[kind].update(pairs)

    def history_agent(self) -> int:
        """L'agent « Historique (agent non renseigné) » de l'organisme, créé au premier besoin."""
        if self._history_agent is None:
            user, _ = User.objects.get_or_create(
                username=f"{self.organisation.code}.historique",
                defaults={
                    "organisation": self.organisation,
                    "last_name": "Historique (agent non renseigné)",
                    "is_active": False,
                    "password": self.unusable_password,
                },
            )
            self._history_agent = user.pk
        return self._history_agent
