"""Le journal d'audit refuse la suppression (SQL brut, ORM, TRUNCATE), sur SQLite et PostgreSQL ;
le vidage des bases de test entre tests transactionnels passe par la seule porte prévue."""

import pytest
from django.db import DatabaseError, connection, transaction

from parcours.core import audit
from parcours.core.audit_guard import allow_deletion
from parcours.core.models import AuditEntry, Region
from parcours.core.reference import load_reference


def _entry():
    return audit.record(actor=None, action="READ", object_type="person", person_id=1)


@pytest.mark.django_db
def test_raw_sql_delete_is_refused_in_french():
    entry = _entry()
    with (
        pytest.raises(DatabaseError, match="ne peut pas être effacé"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_orm_delete_is_refused():
    entry = _entry()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE : PostgreSQL")
def test_truncate_is_refused_on_postgresql():
    _entry()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditentry")
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db
def test_the_one_explicit_door_lets_delete_then_closes():
    kept, purged = _entry(), _entry()
    with transaction.atomic(), allow_deletion():
        AuditEntry.objects.filter(pk=purged.pk).delete()
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [kept.pk]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=kept.pk).delete()


@pytest.fixture(scope="module", autouse=True)
def _reference_kept(django_db_setup, django_db_blocker):
    """Le vidage transactionnel emporte le découpage administratif : rechargé après ce module."""
    yield
    with django_db_blocker.unblock():
        if not Region.objects.exists():
            load_reference()


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_still_flush_the_journal():
    """Le vidage qui suit ce test (DELETE sur SQLite, TRUNCATE sur PostgreSQL) doit réussir."""
    _entry()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db
def test_after_a_transactional_test_the_journal_was_emptied():
    assert not AuditEntry.objects.exists()
