import datetime

import pytest

from parcours.core import crypto
from parcours.core.exceptions import ConflictError
from parcours.core.models import AuditEntry
from parcours.people import services
from parcours.people.models import Person
from parcours.people.queries import search_people
from tests.factories import UserFactory, make_person

pytestmark = pytest.mark.django_db


def valid_nir():
    from parcours.rules import nir

    base = "2840569123456"
    return f"{base}{nir.compute_key(base):02d}"


@pytest.fixture
def worker(org):
    return UserFactory(organisation=org, social_worker=True, departements=["01", "69"])


def test_nir_is_encrypted_hashed_and_masked(org, worker):
    nir = valid_nir()
    person = make_person(org=org, actor=worker, nir=nir)
    stored = Person.objects.get(pk=person.pk)
    assert nir not in stored.nir_encrypted
    assert crypto.decrypt(stored.nir_encrypted) == nir
    assert stored.nir_hash == crypto.blind_index(nir)
    assert nir[5:] not in stored.nir_masked
    audit_text = str(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert nir not in audit_text


def test_reveal_nir_is_audited(org, worker):
    person = make_person(org=org, actor=worker, nir=valid_nir())
    assert services.reveal_nir(actor=worker, person=person) == valid_nir()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVEAL_NIR)
    assert (entry.actor, entry.person_id) == (worker, person.pk)


def test_create_writes_audit_in_same_transaction(org, worker):
    person = make_person(org=org, actor=worker, last_name="Dupont")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE, object_type="person")
    assert entry.person_id == person.pk
    assert entry.changes["last_name"] == {"avant": None, "apres": "Dupont"}


def test_update_with_stale_version_is_refused_and_nothing_changes(org, worker):
    person = make_person(org=org, actor=worker, phone="0102030405")
    services.update_person(
        actor=worker, person=person, data={"phone": "0611111111"}, expected_version=1
    )
    with pytest.raises(ConflictError) as error:
        services.update_person(
            actor=worker, person=person, data={"phone": "0622222222"}, expected_version=1
        )
    assert error.value.current.phone == "0611111111"
    assert Person.objects.get(pk=person.pk).phone == "0611111111"
    update = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert update.changes["phone"] == {"avant": "0102030405", "apres": "0611111111"}


def test_duplicates_same_nir_or_same_name_and_birth_date(org, worker):
    nir = valid_nir()
    existing = make_person(
        org=org,
        actor=worker,
        last_name="Lefèvre",
        first_names="Anne",
        birth_date=datetime.date(1984, 5, 2),
        nir=nir,
    )
    by_name = services.find_duplicates(
        organisation_id=org.pk,
        nir=None,
        last_name="LEFEVRE",
        first_names="anne",
        birth_date=datetime.date(1984, 5, 2),
    )
    assert list(by_name) == [existing]
    by_nir = services.find_duplicates(
        organisation_id=org.pk,
        nir=nir,
        last_name="Autre",
        first_names="X",
        birth_date=datetime.date(1990, 1, 1),
    )
    assert list(by_nir) == [existing]
    other_day = services.find_duplicates(
        organisation_id=org.pk,
        nir=None,
        last_name="Lefèvre",
        first_names="Anne",
        birth_date=datetime.date(1984, 5, 3),
    )
    assert list(other_day) == []


@pytest.fixture
def people(org, worker):
    return {
        "dupont": make_person(
            org=org,
            actor=worker,
            last_name="Dupont",
            first_names="Hélène",
            birth_date=datetime.date(1958, 3, 12),
            phone="06 12 34 56 78",
        ),
        "dupond": make_person(
            org=org,
            actor=worker,
            last_name="Dupond",
            first_names="Marc",
            sex="M",
            birth_date=datetime.date(1961, 7, 1),
        ),
        "lefebvre": make_person(
            org=org,
            actor=worker,
            last_name="Lefebvre",
            first_names="Jean-Pierre",
            sex="M",
            birth_date=datetime.date(1947, 1, 30),
            nir=valid_nir(),
        ),
        "eleonore": make_person(
            org=org,
            actor=worker,
            last_name="Le Goff",
            birth_name="Éléonore",
            first_names="Zoé",
            birth_date=datetime.date(1990, 2, 2),
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dupont", ["dupont", "dupond"]),  # exact d'abord, puis phonétique
        ("DUP", ["dupond", "dupont"]),  # préfixe
        ("dupont helene", ["dupont"]),  # accents et casse
        ("hélène dupont", ["dupont"]),  # ordre libre
        ("lefevre", ["lefebvre"]),  # même prononciation
        ("dupnot", ["dupont"]),  # lettres inversées
        ("dpuont", ["dupond", "dupont"]),  # faute au début : la phonétique la rattrape
        ("lefebre", ["lefebvre"]),  # lettre oubliée
        ("dupnot marcel", []),  # le prénom doit correspondre aussi
        ("legoff", ["eleonore"]),
        ("le goff zoe", ["eleonore"]),
        ("eleonore", ["eleonore"]),  # nom de naissance
        ("12/03/1958", ["dupont"]),
        ("1958-03-12", ["dupont"]),
        ("dupont 12/03/1958", ["dupont"]),
        ("0612345678", ["dupont"]),
        ("06 12 34", ["dupont"]),
        ("zzzz", []),
    ],
)
def test_search(worker, people, query, expected):
    found = search_people(worker, query)
    names = {v.pk: k for k, v in people.items()}
    assert [names[p.pk] for p in found] == expected


def test_search_by_nir_with_spaces_and_without_key(worker, people):
    nir = valid_nir()
    spaced = f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"
    assert search_people(worker, spaced) == [people["lefebvre"]]
    assert search_people(worker, nir[:13]) == [people["lefebvre"]]


def test_search_is_scoped(org, other_org, people):
    outsider = UserFactory(organisation=other_org, social_worker=True, departements=["01"])
    assert search_people(outsider, "dupont") == []
    other_dept = UserFactory(organisation=org, social_worker=True, departements=["69"])
    assert search_people(other_dept, "dupont") == []
