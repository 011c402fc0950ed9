"""Les dates de coupure de la purge, au jour ``as_of`` : ce qui est plus ancien que la coupure
a dépassé sa durée de conservation.

Aide privée, en attendant la règle pure commune des durées de conservation
(``rules.retention``) : la purge y passera quand elle sera là, avec les mêmes bornes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from parcours.rules.calendar import add_months

if TYPE_CHECKING:
    from parcours.privacy.models import RetentionRules


@dataclass(frozen=True)
class Cutoffs:
    #: dossiers clos : dernière clôture strictement avant cette date → anonymisés
    closed_files: datetime.date
    #: personnes ciblées jamais jointes : dernier ciblage strictement avant → supprimées
    unreached_targets: datetime.date
    #: fichiers déposés et documents produits : créés strictement avant → supprimés
    import_files: datetime.date
    #: journal d'audit : entrées strictement avant ce jour → supprimées
    audit: datetime.date


def cutoffs(rules: RetentionRules, as_of: datetime.date) -> Cutoffs:
    """``rules`` : les durées de conservation de l'organisme (``RetentionRules``)."""
    return Cutoffs(
        closed_files=add_months(as_of, -12 * rules.closed_files_years),
        unreached_targets=add_months(as_of, -rules.unreached_targets_months),
        import_files=add_months(as_of, -rules.import_files_months),
        audit=add_months(as_of, -12 * rules.audit_years),
    )
