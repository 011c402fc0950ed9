"""Import de l'historique d'activité (formats.md §2) : valider chaque ligne, puis écrire.

Étapes : lire le dossier ou le ``.zip`` (:mod:`.reading`) ; vérifier les en-têtes ; valider
chaque ligne (fichier, ligne, colonne, motif en français) en suivant les liens entre fichiers
(:mod:`.validation`) ; puis, hors essai, écrire par les services « en masse » des domaines
(:mod:`.agents`, :mod:`.people`, :mod:`.cases`, :mod:`.groups`, :mod:`.outreach`, menés par
:mod:`.importer`) les lignes valides qui n'ont pas déjà été importées : les identifiants
d'origine sont gardés dans :class:`~parcours.steering.models.ExternalRef`, un second import ne
change rien.

Tous les fichiers sont importés : agents, bénéficiaires, accompagnements et entretiens, puis
actions collectives, séances et participations (``groups``), signalements, offres et contacts
d'accueil (``outreach``). Les lignes sans identifiant d'origine (participations, contacts
d'accueil) ont pour référence externe une clé tirée de leur contenu : un second import du même
lot ne change rien.
"""

from parcours.steering.history.importer import known_refs, run
from parcours.steering.history.reading import (
    COLUMNS,
    IMPORTED,
    BundleError,
    Problem,
    Report,
    parse,
    read_bundle,
)
from parcours.steering.history.rejections import (
    record_rejections_read,
    rejection_rows,
    rejections_path,
    result,
)
from parcours.steering.history.validation import Checker, Context, validate

__all__ = [
    "COLUMNS",
    "IMPORTED",
    "BundleError",
    "Checker",
    "Context",
    "Problem",
    "Report",
    "known_refs",
    "parse",
    "read_bundle",
    "record_rejections_read",
    "rejection_rows",
    "rejections_path",
    "result",
    "run",
    "validate",
]
