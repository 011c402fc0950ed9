"""Tests stricts : avertissements = erreurs, variable de gabarit inconnue = échec, ordre aléatoire.

Ordre aléatoire aussi dans la base : un QuerySet lu sans ``order_by`` (ni ``Meta.ordering``)
revient dans un ordre tiré au hasard ; un code qui compte sur l'ordre d'insertion échoue.

La base de test (SQLite, ou PostgreSQL avec ``DATABASE_URL``) reçoit une fois le découpage
administratif réel ; chaque test construit son organisme avec les fabriques de ``factories.py``.
"""

import pytest
from django.conf import settings
from django.core.management import call_command

from parcours.core.reference import load_reference


class InvalidTemplateVariable(str):
    def __mod__(self, other):
        raise AssertionError(f"Variable de gabarit inconnue : {other!r}")

    def __bool__(self):
        return False


@pytest.fixture(autouse=True, scope="session")
def _strict_templates():
    for engine in settings.TEMPLATES:
        engine["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")


def _needs_random_order(queryset):
    """Vrai si la base est libre de rendre les lignes dans n'importe quel ordre."""
    query = queryset.query  # applique d'abord un éventuel filtre différé
    return not (queryset.ordered or query.distinct or query.combinator or query.model is None)


def _shuffled_query(queryset):
    query = queryset.query.chain()
    query.add_ordering("?")
    return query


@pytest.fixture(autouse=True, scope="session")
def _unordered_querysets_come_back_shuffled():
    """``ORDER BY RANDOM()`` sur toute lecture sans ordre explicite (``QuerySet.ordered`` faux).

    Écarte ``distinct()`` (PostgreSQL refuse un tri absent de la sélection) et les unions (leur
    tri ne peut nommer que des colonnes). ``count()``, ``exists()`` et les agrégats ne passent pas
    par ici : ils n'ont pas d'ordre à rendre.
    """
    from django.db.models.query import QuerySet

    fetch_all, iterator = QuerySet._fetch_all, QuerySet._iterator

    def _fetch_all(self):
        if self._result_cache is not None or not _needs_random_order(self):
            return fetch_all(self)
        # ``_query`` et non ``query`` : le setter changerait la classe d'itération.
        original, self._query = self._query, _shuffled_query(self)
        try:
            return fetch_all(self)
        finally:
            self._query = original

    def _iterator(self, use_chunked_fetch, chunk_size):
        if _needs_random_order(self):
            clone = self._chain()
            clone._query = _shuffled_query(self)
            self = clone
        yield from iterator(self, use_chunked_fetch, chunk_size)

    QuerySet._fetch_all, QuerySet._iterator = _fetch_all, _iterator
    yield
    QuerySet._fetch_all, QuerySet._iterator = fetch_all, iterator


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture(scope="module")
def reference_kept(django_db_setup, django_db_blocker):
    """Pour un module de tests ``transaction=True`` : ces tests vident la base en sortant,
    découpage administratif compris (chargé une fois pour la session). Il est rechargé avant le
    module (si un autre test l'a vidé) et après lui, pour les tests qui suivent."""
    from parcours.core.models import Region

    def ensure():
        with django_db_blocker.unblock():
            if not Region.objects.exists():
                load_reference()

    ensure()
    yield
    ensure()


@pytest.fixture(autouse=True, scope="session")
def _test_flush_may_empty_the_audit_journal():
    """Le vidage entre deux tests transactionnels est le seul effacement permis du journal."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from parcours.core.audit_guard import allow_deletion

    execute_sql_flush = BaseDatabaseOperations.execute_sql_flush

    def _execute_sql_flush(self, sql_list):
        with allow_deletion(self.connection.alias):
            return execute_sql_flush(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = _execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush


@pytest.fixture(autouse=True)
def _no_axes_lockout_between_tests(settings):
    settings.AXES_ENABLED = True
    yield


@pytest.fixture
def org(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(code="carsat-test", departements=["01", "69"])


@pytest.fixture
def other_org(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(code="autre-org", departements=["01", "69"])


def login_as(client, user):
    """Connecte ``user`` sans passer par le formulaire (le second facteur est considéré fait)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if user.is_org_admin or user.is_superuser or user.is_dpo:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def call():
    def _call(*args, **kwargs):
        from io import StringIO

        out = StringIO()
        call_command(*args, stdout=out, stderr=out, **kwargs)
        return out.getvalue()

    return _call
