"""Fichiers de retraités réalistes (formats.md §4) pour les mesures, les essais et la
démonstration : écrits par DuckDB (``COPY … TO``) depuis une requête générée, sans boucle Python
(14 millions de lignes en quelques secondes), et déterministes (même graine → même fichier).

Répartition : les lignes sont partagées entre les communes au prorata de leur population (au
plus fort reste, au moins une ligne par commune si le nombre de lignes le permet), dans un ordre
mêlé (une permutation des rangs). Âges : 2 % de moins de 60 ans, 42 % de 60 à 69, 35 % de 70 à
79, 16 % de 80 à 89, 5 % de 90 à 101 ; réversion et exonération de CSG plus fréquentes avec l'âge
et, d'une commune à l'autre, plus ou moins fréquentes (de quoi faire des communes fragiles) : le
score moyen national est proche de 3,34 (domaine.md §9).

Avec ``identity=True`` : les colonnes d'identité de formats.md §4 (NIR valide avec sa clé, nés
dans la commune où ils vivent ; noms, prénoms, sexe, adresse, code postal, téléphone, courriel),
pour un petit fichier (ciblage, démonstration)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

FORMATS = ("csv", "parquet")

#: rangs mêlés : ``(i × P) mod N`` parcourt 0…N−1 une fois quand P est premier avec N
_PRIMES = (2654435761, 2246822519, 3266489917, 668265263)

SURNAMES = [
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
    "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL",
    "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT",
    "MULLER", "LEFEVRE", "FAURE", "ANDRE", "MERCIER", "BLANC", "GUERIN", "BOYER", "GARNIER",
    "CHEVALIER", "FRANCOIS", "LEGRAND", "GAUTHIER", "GARCIA",
]  # fmt: skip
WOMEN = [
    "Marie", "Jeanne", "Françoise", "Monique", "Catherine", "Nicole", "Jacqueline", "Annie",
    "Christiane", "Danielle", "Michèle", "Colette", "Simone", "Denise", "Josette", "Odette",
    "Huguette", "Paulette", "Yvette", "Ginette",
]  # fmt: skip
MEN = [
    "Jean", "Michel", "Pierre", "André", "Jacques", "Bernard", "Claude", "Alain", "Daniel",
    "Gérard", "René", "Roger", "Marcel", "Robert", "Louis", "Henri", "Georges", "Paul",
    "Raymond", "Maurice",
]  # fmt: skip
STREETS = [
    "rue de la République", "rue Victor Hugo", "place de l'Église", "rue des Écoles",
    "chemin des Vignes", "avenue Jean Jaurès", "rue du Moulin", "impasse des Lilas",
    "route de la Gare", "rue Pasteur", "allée des Tilleuls", "rue du Stade",
]  # fmt: skip


def _list(values: Sequence[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _pick(values: Sequence[str], u: str) -> str:
    return f"{_list(values)}[1 + CAST(floor({u} * {len(values)}) AS INTEGER)]"


def _prime(rows: int) -> int:
    from math import gcd

    return next(p for p in _PRIMES if gcd(p, rows) == 1)


def retirees_sql(*, rows: int, seed: int, year: int, identity: bool) -> str:
    """La requête des lignes (sur la table ``echantillon_communes(code, pop, postal)``)."""
    rows, seed, year = int(rows), int(seed), int(year)

    def u(k: int) -> str:  # un tirage uniforme dans [0, 1), propre à la ligne et à la graine
        return f"(hash(i, {seed}, {k}) % 1000000) / 1000000.0"

    columns = f"""printf('R%010d', i + 1) AS id, CAST({year} - age AS INTEGER) AS annee_naissance,
        code AS commune_insee, CAST(ur < p_rev AS INTEGER) AS reversion,
        CAST(uc < p_csg AS INTEGER) AS exonere_csg"""
    if identity:
        columns += f""",
        nir13 || lpad(CAST(97 - CAST(replace(replace(nir13, '2A', '19'), '2B', '18')
            AS BIGINT) % 97 AS VARCHAR), 2, '0') AS nir,
        nom, prenom, sexe,
        CAST(1 + CAST(floor({u(8)} * 120) AS INTEGER) AS VARCHAR) || ' ' || {_pick(STREETS, u(9))}
            AS adresse,
        postal AS code_postal,
        '06' || lpad(CAST(CAST(floor({u(10)} * 100000000) AS BIGINT) AS VARCHAR), 8, '0')
            AS telephone,
        lower(strip_accents(prenom)) || '.' || lower(nom) || '.' || CAST(i + 1 AS VARCHAR)
            || '@exemple.fr' AS email"""
    people = ""
    if identity:
        people = f""",
        p AS (
            SELECT *, CASE WHEN {u(4)} < 0.55 THEN 'F' ELSE 'M' END AS sexe FROM a
        ),
        n AS (
            SELECT *, {_pick(SURNAMES, u(5))} AS nom,
                CASE WHEN sexe = 'F' THEN {_pick(WOMEN, u(6))} ELSE {_pick(MEN, u(6))} END
                    AS prenom,
                CASE WHEN sexe = 'F' THEN '2' ELSE '1' END
                || lpad(CAST(({year} - age) % 100 AS VARCHAR), 2, '0')
                || lpad(CAST(1 + CAST(floor({u(7)} * 12) AS INTEGER) AS VARCHAR), 2, '0')
                || code
                || lpad(CAST(1 + i % 999 AS VARCHAR), 3, '0') AS nir13
            FROM p
        )"""  # noqa: S608 (entiers et listes de noms fixes)
    last = "n" if identity else "a"
    return f"""
        WITH s AS (SELECT i, (i * {_prime(rows)}) % {rows} AS slot FROM range({rows}) t(i)),
        j AS (
            SELECT s.i, e.code, e.postal, e.k FROM s ASOF JOIN echantillon_alloc e
            ON s.slot >= e.start
        ),
        g AS (SELECT *, {u(1)} AS ua, {u(2)} AS ur, {u(3)} AS uc FROM j),
        a AS (
            SELECT *,
                CASE WHEN age < 70 THEN 0.085 WHEN age < 80 THEN 0.23 WHEN age < 90 THEN 0.40
                    ELSE 0.56 END * (0.55 + 0.9 * k) AS p_rev,
                CASE WHEN age < 70 THEN 0.185 WHEN age < 80 THEN 0.228 WHEN age < 90 THEN 0.29
                    ELSE 0.35 END * (0.45 + 1.1 * k) AS p_csg
            FROM (
                SELECT *, CAST(CASE
                    WHEN ua < 0.02 THEN 55 + floor(ua / 0.02 * 5)
                    WHEN ua < 0.44 THEN 60 + floor((ua - 0.02) / 0.42 * 10)
                    WHEN ua < 0.79 THEN 70 + floor((ua - 0.44) / 0.35 * 10)
                    WHEN ua < 0.95 THEN 80 + floor((ua - 0.79) / 0.16 * 10)
                    ELSE 90 + floor((ua - 0.95) / 0.05 * 12) END AS INTEGER) AS age
                FROM g
            )
        ){people}
        SELECT {columns} FROM {last}"""  # noqa: S608


def _postal(code: str) -> str:
    if code.startswith("97"):
        return code[:3] + "00"
    return ("20" if code[:2] in ("2A", "2B") else code[:2]) + "000"


def write_retirees(
    path: str | Path,
    *,
    communes: Sequence[tuple],
    rows: int,
    seed: int,
    fmt: str = "csv",
    year: int,
    identity: bool = False,
    threads: int = 2,
    memory_limit: str = "1500MB",
) -> Path:
    """Écrit ``rows`` lignes dans ``path`` (``fmt`` : ``csv`` ou ``parquet``) réparties entre
    ``communes`` — ``(code, population)`` ou ``(code, population, code_postal)`` — pour
    l'année ``year`` ; rend ``path``."""
    import duckdb

    if fmt not in FORMATS:
        raise ValueError(f"format inconnu : {fmt}")
    if rows <= 0 or not communes:
        raise ValueError("au moins une ligne et une commune")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    codes = [str(c[0]) for c in communes]
    pops = [max(int(c[1] or 0), 1) for c in communes]
    postals = [str(c[2]) if len(c) > 2 and c[2] else _postal(str(c[0])) for c in communes]
    minimum = 1 if rows >= len(codes) else 0
    rest = rows - minimum * len(codes)
    con = duckdb.connect(
        config={"threads": threads, "memory_limit": memory_limit, "preserve_insertion_order": False}
    )
    try:
        con.execute(
            "CREATE TEMP TABLE echantillon_communes AS SELECT unnest(?::VARCHAR[]) AS code, "
            "unnest(?::BIGINT[]) AS pop, unnest(?::VARCHAR[]) AS postal",
            [codes, pops, postals],
        )
        # au plus fort reste : exactement ``rows`` lignes
        con.execute(
            f"""CREATE TEMP TABLE echantillon_alloc AS
            WITH w AS (
                SELECT code, postal, {rest} * pop / sum(pop) OVER () AS exact
                FROM echantillon_communes
            ),
            f AS (SELECT *, CAST(floor(exact) AS BIGINT) AS base FROM w),
            r AS (
                SELECT code, postal, {minimum} + base + CASE WHEN row_number() OVER (
                    ORDER BY exact - base DESC, code) <= {rest} - sum(base) OVER ()
                    THEN 1 ELSE 0 END AS n
                FROM f
            )
            SELECT code, postal, n,
                sum(n) OVER (ORDER BY code ROWS UNBOUNDED PRECEDING) - n AS start,
                (hash(code, {int(seed)}) % 1000) / 1000.0 AS k
            FROM r WHERE n > 0"""  # noqa: S608
        )
        query = retirees_sql(rows=rows, seed=seed, year=year, identity=identity)
        target = "'" + str(path).replace("'", "''") + "'"
        options = (
            "HEADER, DELIMITER ';', QUOTE '\"'"
            if fmt == "csv"
            else "FORMAT parquet, COMPRESSION zstd"
        )
        con.execute(f"COPY ({query}) TO {target} ({options})")
    finally:
        con.close()
    return path
