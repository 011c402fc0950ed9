import datetime
import zoneinfo
from collections import Counter

import pytest
from django.db.models import F

from parcours.cases.models import Case, Contact
from parcours.core import clock, crypto
from parcours.core.models import User
from parcours.people.models import Person
from parcours.privacy.models import Processing, RetentionRules
from parcours.rules import nir

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
TODAY = datetime.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=PARIS)):
        yield


def snapshot():
    return (
        list(Person.objects.order_by("pk").values_list("last_name", "first_names", "birth_date")),
        Case.objects.count(),
        Contact.objects.count(),
    )


def test_demo_is_deterministic_and_not_duplicated(call):
    out = call("demo", personnes=150, seed=7)
    assert "150 personnes" in out
    first = snapshot()
    assert "existe déjà" in call("demo", personnes=150, seed=7)
    assert snapshot()[1:] == first[1:]
    call("demo", "--reinitialiser", personnes=150, seed=7)
    again = snapshot()
    assert [p[:3] for p in again[0]] == [p[:3] for p in first[0]]
    assert again[1:] == first[1:]


def test_demo_roles_and_logins(call):
    call("demo", personnes=60, seed=3)
    functions = Counter(
        User.objects.filter(organisation__code="carsat-demo", is_active=True).values_list(
            "function", flat=True
        )
    )
    # sans fonction : l'administrateur et la déléguée à la protection des données
    assert functions == {"AS": 5, "CSAM": 2, "SECRETAIRE": 1, "MANAGER": 2, "PILOTAGE": 1, "": 2}
    # the imported history adds only its inactive « agent non renseigné » (offers' campaigns)
    inactive = User.objects.filter(organisation__code="carsat-demo", is_active=False)
    assert list(inactive.values_list("username", flat=True)) == ["carsat-demo.historique"]
    admin = User.objects.get(username="admin")
    assert admin.is_org_admin and admin.check_password("parcours-demo-2026")
    dpo = User.objects.get(username="dpo")
    assert dpo.is_dpo and not dpo.is_org_admin and dpo.check_password("parcours-demo-2026")
    logins = call("demo", "--identifiants")
    assert "as.ain" in logins
    assert "délégué·e à la protection des données (second facteur à enrôler) : dpo" in logins
    # le registre des traitements et les durées de conservation des deux organismes
    for code in ("carsat-demo", "caf-demo"):
        assert Processing.objects.filter(organisation__code=code).count() == 9
        assert RetentionRules.objects.get(organisation__code=code).closed_files_years == 5


def test_demo_invariants(call):
    call("demo", personnes=400, seed=11)
    assert not Contact.objects.filter(on__lt=F("case__opened_on")).exists()
    assert not Contact.objects.filter(on__gt=TODAY).exists()
    assert not Contact.objects.filter(
        case__closed_on__isnull=False, on__gt=F("case__closed_on")
    ).exists()
    closed = Case.objects.filter(state="clos")
    assert closed.exists() and not closed.filter(outcome="").exists()
    assert not closed.filter(programme="PDP").filter(risk="").exists()
    assert not closed.filter(programme="PDP").filter(sector="").exists()
    assert not Case.objects.filter(state="ouvert", closed_on__isnull=False).exists()
    for person in Person.objects.exclude(nir_encrypted=""):
        value = crypto.decrypt(person.nir_encrypted)
        assert nir.validate(value) == value
        assert value[0] == {"M": "1", "F": "2"}[person.sex]
    programmes = Counter(Case.objects.values_list("programme", flat=True))
    assert programmes.most_common(1)[0][0] == "PDP"
    # the year's activity: 3 to 6 cases in 10 closed; the migrated past years are all closed
    live = Case.objects.filter(opened_on__gte=TODAY - datetime.timedelta(days=425))
    assert 0.3 < live.filter(state="clos").count() / live.count() < 0.6
    past = Case.objects.filter(opened_on__lt=datetime.date(TODAY.year - 1, 1, 1))
    assert past.count() > live.count() and not past.filter(state="ouvert").exists()


def test_demo_organisation_created_once_by_the_administration_service(call):
    from parcours.core.models import AuditEntry, Organisation

    call("demo", personnes=20, seed=5)
    call("demo", "--reinitialiser", personnes=20, seed=5)
    organisation = Organisation.objects.get(code="carsat-demo")
    assert sorted(organisation.departements.values_list("code", flat=True)) == ["01", "69"]
    assert (organisation.kind, organisation.region_id, organisation.home_visit_target) == (
        "CARSAT",
        "84",
        300,
    )
    entries = AuditEntry.objects.filter(organisation=organisation, object_type="organisation")
    assert list(entries.values_list("summary", flat=True)) == ["Organisme créé"]
