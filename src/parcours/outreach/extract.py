"""Lecture en flux d'un extrait CSV (formats.md : UTF-8 avec ou sans BOM, « ; », guillemets).

Deux passes sur le fichier, sans jamais le charger en mémoire : la première calcule l'empreinte
SHA-256 et vérifie l'encodage (un fichier mal encodé est refusé avant toute ligne), la seconde
donne les lignes une à une avec leur numéro (l'en-tête est la ligne 1).
"""

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

from parcours.rules.sick_leave_extract import HeaderError

CHUNK = 1 << 20


def fingerprint(path: Path) -> str:
    """SHA-256 du fichier ; ``HeaderError`` s'il est vide ou n'est pas en UTF-8."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    line = 1
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            size += len(chunk)
            digest.update(chunk)
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                before = decoder.getstate()[0] + chunk[: error.start]
                line += before.count(b"\n")
                raise HeaderError(
                    "Le fichier n'est pas encodé en UTF-8 (caractère illisible ligne "
                    f"{line}) : enregistrez-le en UTF-8 puis importez-le de nouveau."
                ) from None
            line += text.count("\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise HeaderError(
                "Le fichier n'est pas encodé en UTF-8 (il se termine au milieu d'un caractère)."
            ) from None
    if size == 0:
        raise HeaderError("Le fichier est vide : l'en-tête (ligne 1) est attendu.")
    return digest.hexdigest()


class Reader:
    """Les lignes du fichier, avec la position lue (pour la barre de progression)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.size = self.path.stat().st_size or 1
        self._raw = open(self.path, "rb")  # noqa: SIM115 (fermé par close())
        self._text = io.TextIOWrapper(self._raw, encoding="utf-8-sig", newline="")
        self._reader = csv.reader(self._text, delimiter=";", quotechar='"', strict=False)
        try:
            self.header = next(self._reader)
        except StopIteration:
            self.close()
            raise HeaderError("Le fichier est vide : l'en-tête (ligne 1) est attendu.") from None
        except csv.Error as error:
            self.close()
            raise HeaderError(f"En-tête illisible (ligne 1) : {error}.") from None
        if len(self.header) == 1 and ("," in self.header[0] or "\t" in self.header[0]):
            self.close()
            raise HeaderError(
                "Le séparateur de colonnes doit être le point-virgule « ; » "
                "(l'en-tête n'en contient aucun)."
            )

    def fraction(self) -> float:
        try:
            return min(1.0, self._raw.tell() / self.size)
        except (OSError, ValueError):
            return 0.0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(numéro de ligne, valeurs) ; les lignes entièrement vides sont sautées."""
        line = 1
        try:
            for values in self._reader:
                start, line = line + 1, self._reader.line_num
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue
                yield start, values
        except csv.Error as error:
            raise HeaderError(f"Ligne {line + 1} illisible : {error}.") from None

    def close(self):
        self._text.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
