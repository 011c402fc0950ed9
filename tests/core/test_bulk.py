"""Le moteur d'insertion en masse (``core/bulk.py``) sur la vraie base : COPY sur PostgreSQL,
INSERT multi-lignes sur SQLite ; valeurs relues telles qu'écrites."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from parcours.cases.models import Case
from parcours.core import bulk
from parcours.core.models import AuditEntry, User
from parcours.groups.models import GroupAction, Session
from parcours.steering.models import ExternalRef
from tests.factories import make_person

pytestmark = pytest.mark.django_db

AWKWARD = ["tab\there", "new\nline", "back\\slash", "\\N", "quote \" ' ;", "é ü 😀", "", "\r\n"]


def test_text_survives_copy_escaping(org):
    bulk.insert_rows(
        ExternalRef,
        ["organisation_id", "kind", "source_id", "object_id"],
        [(org.pk, "agent", text, i) for i, text in enumerate(AWKWARD)],
    )
    stored = dict(ExternalRef.objects.values_list("object_id", "source_id"))
    assert stored == dict(enumerate(AWKWARD))


def test_dates_times_nulls_and_json_are_prepared(org):
    action = GroupAction.objects.create(
        organisation=org, type="ATELIER", programme="PDP", title="A", departement_id="01"
    )
    day = datetime.date(2025, 3, 1)
    ids = bulk.insert_records(
        Session,
        [
            {
                "organisation_id": org.pk,
                "action_id": action.pk,
                "date": day,
                "start_time": datetime.time(9, 30),
                "end_time": None,
                "capacity": 12,
            },
            {
                "organisation_id": org.pk,
                "action_id": action.pk,
                "date": day + datetime.timedelta(days=1),
                "start_time": datetime.time(14),
                "end_time": datetime.time(16, 15),
                "capacity": 1,
            },
        ],
    )
    first, second = (Session.objects.get(pk=pk) for pk in ids)
    assert (first.date, first.start_time, first.end_time, first.capacity) == (
        day,
        datetime.time(9, 30),
        None,
        12,
    )
    assert second.end_time == datetime.time(16, 15)
    assert first.partner_place == "" and first.video is False  # défauts des champs
    assert first.created_at is not None and timezone.is_aware(first.created_at)

    at = datetime.datetime(2025, 6, 1, 23, 45, 10, 123456, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    bulk.insert_rows(
        AuditEntry,
        [
            "organisation_id",
            "actor_id",
            "at",
            "action",
            "object_type",
            "object_id",
            "person_id",
            "summary",
            "changes",
        ],
        [
            (
                org.pk,
                None,
                at,
                "CREATE",
                "essai",
                "1",
                None,
                "a\tb",
                {"texte": "x\ny\\z", "n": [1, None]},
            ),
            (org.pk, None, at, "CREATE", "essai", "2", None, "", {}),
        ],  # fmt: skip
    )
    entries = list(AuditEntry.objects.filter(object_type="essai").order_by("id"))
    assert [e.at for e in entries] == [at, at]
    assert entries[0].changes == {"texte": "x\ny\\z", "n": [1, None]}
    assert entries[0].summary == "a\tb" and entries[1].changes == {}
    assert entries[0].actor_id is None and entries[0].person_id is None


def test_decimal_and_foreign_keys(org):
    ids = bulk.insert_records(
        User,
        [
            {"organisation_id": org.pk, "username": "u1", "fte": Decimal("0.80"), "password": "!"},
            {"organisation_id": org.pk, "username": "u2", "fte": Decimal("1"), "password": "!"},
        ],
    )
    users = {u.username: u for u in User.objects.filter(pk__in=ids)}
    assert users["u1"].fte == Decimal("0.80") and users["u2"].fte == Decimal("1.00")
    assert users["u1"].organisation == org and users["u1"].is_active is True  # défaut


def test_ids_follow_row_order_and_follow_existing_rows(org):
    person = make_person(org=org)
    existing = Case.objects.create(
        organisation=org,
        person=person,
        programme="PDP",
        origin="SIGNALEMENT",
        departement_id="01",
        opened_on=datetime.date(2024, 1, 1),
    )
    rows = [
        {
            "organisation_id": org.pk,
            "person_id": person.pk,
            "programme": "PDP",
            "origin": "SIGNALEMENT",
            "departement_id": "01",
            "opened_on": datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
            "closed_on": None,
        }
        for i in range(2500)  # plusieurs requêtes sur SQLite
    ]
    with transaction.atomic():
        ids = bulk.insert_records(Case, rows)
    assert ids == sorted(ids) and ids[0] > existing.pk and len(set(ids)) == 2500
    stored = dict(Case.objects.filter(pk__in=ids).values_list("pk", "opened_on"))
    assert [stored[pk] for pk in ids] == [r["opened_on"] for r in rows]
    assert Case.objects.get(pk=ids[0]).state == Case.State.OUVERT  # défaut du champ
    # la base continue après les identifiants réservés
    after = Case.objects.create(
        organisation=org,
        person=person,
        programme="PDP",
        origin="SIGNALEMENT",
        departement_id="01",
        opened_on=datetime.date(2024, 1, 1),
    )
    assert after.pk > ids[-1]


def test_empty_input_writes_nothing(org, django_assert_num_queries):
    with django_assert_num_queries(0):
        bulk.insert_rows(ExternalRef, ["organisation_id", "kind", "source_id", "object_id"], [])
        assert bulk.insert_records(ExternalRef, []) == []
        assert bulk.reserve_ids(ExternalRef, 0) == []


def test_database_errors_are_django_errors(org):
    row = (org.pk, "agent", "A1", 1)
    names = ["organisation_id", "kind", "source_id", "object_id"]
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_rows(ExternalRef, names, [row, row])  # contrainte d'unicité
    assert not ExternalRef.objects.exists()


def test_unknown_column_or_identifier_in_records_is_refused(org):
    with pytest.raises(ValueError, match="n'est pas une colonne"):
        bulk.insert_rows(User, ["departements"], [((),)])
    with pytest.raises(ValueError, match="ids="):
        bulk.insert_records(ExternalRef, [{"id": 1, "organisation_id": org.pk}])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="verrou d'écriture de SQLite")
def test_reserving_ids_on_sqlite_needs_a_transaction(org):
    saved = connection.in_atomic_block
    connection.in_atomic_block = False  # comme hors de la transaction du test
    try:
        with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
            bulk.reserve_ids(ExternalRef, 3)
    finally:
        connection.in_atomic_block = saved


def test_batch_audit_writes_one_entry(org):
    audit = bulk.BatchAudit(organisation_id=org.pk, object_type="lot", summary="Lot d'essai")
    audit.add("person", 3)
    audit.add("person", 2)
    audit.add("case", 1)
    entry = audit.record(actor=None)
    assert (entry.action, entry.object_type, entry.changes) == (
        "CREATE",
        "lot",
        {"crees": {"person": 5, "case": 1}},
    )
    assert AuditEntry.objects.filter(object_type="lot").count() == 1
