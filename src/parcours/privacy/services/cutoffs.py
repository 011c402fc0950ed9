"""Les dates de coupure de la purge, au jour ``as_of`` : ce qui est daté **strictement avant**
la coupure a dépassé sa durée de conservation.

Le calcul est celui de la règle pure ``rules.retention.cutoffs`` (le dernier jour qui a fait
son temps, fins de mois et 29 février compris) ; la purge compare des dates et des instants
avec ``<``, d'où le lendemain de ce dernier jour.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from parcours.rules import retention


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


def cutoffs(rules: retention.Periods, as_of: datetime.date) -> Cutoffs:
    """``rules`` : les durées de conservation de l'organisme (``RetentionRules``)."""
    last = retention.cutoffs(rules, as_of)
    day = datetime.timedelta(days=1)
    return Cutoffs(
        closed_files=last.closed_files + day,
        unreached_targets=last.unreached_targets + day,
        import_files=last.import_files + day,
        audit=last.audit + day,
    )
