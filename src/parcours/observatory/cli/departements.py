"""``parcours observatoire departements --organisation CODE --annee AAAA [--departement CODE]
[--du AAAA-MM-JJ --au AAAA-MM-JJ] --format csv|json [--sortie FICHIER]`` (formats.md §6.3) :
une ligne par département avec au moins un retraité, triée par code, exactement les colonnes
du contrat (référence des communes à 4 décimales, zones blanches de la période)."""

from parcours.observatory import exports, queries
from parcours.observatory.cli import listing

HELP = (
    "les départements d'une année de l'observatoire : retraités, score moyen, moyenne et écart "
    "type des communes, communes fragiles et zones blanches (CSV ou JSON)"
)


def add_arguments(parser) -> None:
    listing.add_arguments(parser)


def run(options, stdout) -> None:
    request = listing.read_options(options)
    rows = queries.departement_rows(
        organisation_id=request.organisation.pk,
        year=request.year,
        departements=request.departements,
        since=request.since,
        until=request.until,
    )

    def write(out) -> int:
        if options["format"] == "json":
            out.write(exports.as_json(rows))
            return len(rows)
        return exports.departements_csv(out, rows)

    listing.emit(options, stdout, write, "un département écrit")
