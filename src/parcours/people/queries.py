"""Recherche de personnes : nom (sans accents ni casse, partiel, phonétique), date, téléphone, NIR.

Chaque branche est une requête indexée (préfixe sur une clé normalisée, égalité sur la clé
phonétique, la date, le téléphone ou l'empreinte du NIR) ; les résultats sont fusionnés et classés :
préfixe exact d'abord, puis même prononciation (Lefèvre/Lefebvre), puis, s'il y a peu de
résultats, fautes de frappe (Dupnot/Dupont) par distance d'édition bornée.
"""

from django.db.models import Q

from parcours.people.models import Person
from parcours.people.policies import visible_people
from parcours.people.services import nir_hash
from parcours.rules import text

MAX_RESULTS = 50
FEW_RESULTS = 5
TYPO_CANDIDATES = 3000


def _prefix(field: str, value: str) -> Q:
    """Préfixe par intervalle (index B-tree sur SQLite comme sur PostgreSQL)."""
    upper = value[:-1] + chr(ord(value[-1]) + 1)
    return Q(**{f"{field}__gte": value, f"{field}__lt": upper})


def _looks_like_nir(raw: str) -> bool:
    compact = raw.replace(" ", "").replace(".", "").upper()
    return (
        len(compact) in (13, 15)
        and compact[:1] in "1234578"
        and compact[5:7].isalnum()
        and sum(c.isdigit() for c in compact) >= 12
    )


def _distinct_names(table: str, user, prefix: str) -> list[str]:
    """Les noms distincts de l'organisme commençant par ``prefix`` (au plus TYPO_CANDIDATES).

    Parcours d'index « par sauts » (CTE récursive : un accès d'index par nom distinct), car ni
    SQLite ni PostgreSQL ne savent sauter les doublons d'un index pour un DISTINCT.
    """
    from django.db import connection

    from parcours.core.roles import agent_context

    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    organisation = agent_context(user).organisation_id
    sql = f"""
        WITH RECURSIVE names(name, n) AS (
            SELECT MIN(last_name_key), 1 FROM {table}
            WHERE organisation_id = %s AND last_name_key >= %s AND last_name_key < %s
          UNION ALL
            SELECT (SELECT MIN(last_name_key) FROM {table}
                    WHERE organisation_id = %s AND last_name_key > names.name
                      AND last_name_key < %s), n + 1
            FROM names WHERE names.name IS NOT NULL AND n < %s
        )
        SELECT name FROM names WHERE name IS NOT NULL
    """  # noqa: S608 (nom de table issu du modèle, valeurs passées en paramètres)
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation, prefix, upper, organisation, upper, TYPO_CANDIDATES])
        return [row[0] for row in cursor.fetchall()]


def _other_tokens(tokens: list[str], i: int) -> Q:
    """Les autres mots de la recherche : prénoms, ou partie d'un nom composé."""
    rest = Q()
    for other in tokens[:i] + tokens[i + 1 :]:
        rest &= (
            _prefix("first_name_key", other)
            | Q(first_name_key__contains=f" {other}")
            | Q(last_name_key__contains=other)
        )
    return rest


def search_people(user, query: str, limit: int = MAX_RESULTS) -> list[Person]:
    query = (query or "").strip()
    if not query:
        return []
    # une fiche anonymisée ne se retrouve plus, ni par nom, ni par naissance, ni par NIR
    people = visible_people(user).filter(anonymised_on__isnull=True)
    if _looks_like_nir(query):
        hashed = nir_hash(query)
        return list(people.filter(nir_hash=hashed).order_by()[:limit]) if hashed else []
    digits = text.digits(query)
    if len(digits) >= 6 and len(digits) >= len(query.replace(" ", "")) - 3:
        birth = text.parse_birth_date(query)
        if birth is None:
            return list(people.filter(_prefix("phone_digits", digits)).order_by()[:limit])

    birth_dates, words = [], []
    for part in query.split():
        parsed = text.parse_birth_date(part)
        (birth_dates.append(parsed) if parsed else words.append(part))
    name_tokens = [t for w in words for t in text.tokens(w)]
    if birth_dates:
        people = people.filter(birth_date__in=birth_dates)
    if not name_tokens:
        if not birth_dates:
            return []
        # Quelques dizaines de personnes par date : tri en Python, index de la date seul.
        found = people.order_by()[: limit * 4]
        return sorted(found, key=lambda p: (p.last_name_key, p.first_name_key))[:limit]

    ranked: dict[int, int] = {}
    order = ("last_name_key", "first_name_key")
    rests = [_other_tokens(name_tokens, i) for i in range(len(name_tokens))]
    for token, rest in zip(name_tokens, rests, strict=True):
        branches = [(0, _prefix("last_name_key", token)), (0, _prefix("birth_name_key", token))]
        code = text.phonetic(token)
        if len(token) >= 3 and code:
            branches.append((1, Q(name_phonetic=code)))
        for rank, condition in branches:
            matches = people.filter(condition, rest).order_by(*order)
            for pk in matches.values_list("pk", flat=True)[:limit]:
                ranked.setdefault(pk, rank)
        if len(ranked) >= limit:
            break
    if len(ranked) < FEW_RESULTS:
        # Fautes de frappe (lettres inversées, oubliées, en trop) : noms de même début,
        # comparés par distance d'édition bornée, parmi un nombre borné de candidats.
        for token, rest in zip(name_tokens, rests, strict=True):
            budget = text.typo_budget(token)
            if not budget:
                continue
            names = _distinct_names(people.model._meta.db_table, user, token[:2])
            close = [n for n in names if text.edit_distance(token, n, budget) <= budget]
            if close:
                matches = people.filter(rest, last_name_key__in=close).order_by(*order)
                for pk in matches.values_list("pk", flat=True)[:limit]:
                    ranked.setdefault(pk, 2)
    if not ranked:
        return []
    found = Person.objects.filter(pk__in=list(ranked)).select_related("departement", "commune")
    return sorted(found, key=lambda p: (ranked[p.pk], p.last_name_key, p.first_name_key))[:limit]


def duplicate_candidates(user, person: Person):
    """Les fiches probablement en double de ``person`` dans le périmètre de ``user``."""
    same_name = Q(last_name_key=person.last_name_key) | Q(birth_name_key=person.last_name_key)
    if person.birth_name_key:
        same_name |= Q(last_name_key=person.birth_name_key)
    condition = Q(birth_date=person.birth_date) & same_name
    if person.nir_hash:
        condition |= Q(nir_hash=person.nir_hash)
    return (
        visible_people(user)
        .filter(condition, anonymised_on__isnull=True)
        .exclude(pk=person.pk)
        .select_related("departement", "commune")
    )
