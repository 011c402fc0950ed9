"""``parcours gir`` : recalcule en masse le GIR de grilles AGGIR lues sur l'entrée standard."""

import csv
import io
import sys

from django.core.management.base import BaseCommand

from parcours.core.tabular import TableWriter, restore
from parcours.rules import aggir


class Command(BaseCommand):
    help = (
        "Lit des grilles AGGIR en CSV sur l'entrée standard (séparateur « ; », en-tête "
        "COH;ORI;TOI;HAB;ALI;ELI;TRA;DPI;DPE;COM, valeurs A, B ou C) et écrit les mêmes lignes "
        "avec les colonnes gir et rang sur la sortie standard. Une ligne invalide est signalée "
        "sur la sortie d'erreur (numéro de ligne et raison) et la commande se termine en erreur."
    )
    stealth_options = ("stdin",)

    def handle(self, *args, **options):
        stream = options.get("stdin") or sys.stdin
        raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        if isinstance(raw, bytes):
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                self.stderr.write("Le fichier n'est pas en UTF-8.")
                sys.exit(2)
        else:
            text = raw.removeprefix("\ufeff")
        errors = self.convert(text)
        if errors:
            for error in errors:
                self.stderr.write(error)
            self.stderr.write(f"{len(errors)} ligne(s) invalide(s) : GIR non calculé pour elles.")
            sys.exit(1)

    def convert(self, text: str) -> list[str]:
        reader = csv.reader(io.StringIO(text), delimiter=";", quotechar='"')
        header = next(reader, None)
        if header is None:
            return ["ligne 1 : en-tête absent (attendu COH;ORI;TOI;HAB;ALI;ELI;TRA;DPI;DPE;COM)."]
        header = [restore(h).strip() for h in header]
        missing = [v for v in aggir.VARIABLES if v not in header]
        if missing:
            return [f"ligne 1 : colonne(s) absente(s) de l'en-tête : {', '.join(missing)}."]
        extra = [h for h in header if h not in aggir.VARIABLES and h not in ("gir", "rang")]
        if extra:
            self.stderr.write(f"Colonne(s) inconnue(s) recopiée(s) : {', '.join(extra)}.")
        kept = [h for h in header if h not in ("gir", "rang")]
        out = TableWriter(self.stdout, [*kept, "gir", "rang"])
        errors = []
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                count = f"{len(row)} valeur(s) au lieu de {len(header)}"
                errors.append(f"ligne {line} : {count} (une par colonne).")
                continue
            values = dict(zip(header, (restore(cell) for cell in row), strict=True))
            problems = aggir.grid_errors(values)
            if problems:
                errors.append(f"ligne {line}, " + " ; ".join(problems.values()))
                continue
            result = aggir.compute(values)
            out.row([*(values[h] for h in kept), result.gir, result.rank])
        return errors
