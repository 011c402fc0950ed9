"""La purge de conservation, catégorie par catégorie (formats.md §8), sur des données faites à la
main : ce qui est dû et ce qui ne l'est pas, l'essai qui n'écrit rien, la commande."""

import datetime
import json
import zoneinfo
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management.base import CommandError

from parcours.aid.models import AidRequest, Instalment, Overpayment, Recovery
from parcours.cases.models import Case, Contact, Objective, PrivateNote
from parcours.core import audit, clock
from parcours.core.models import AuditEntry
from parcours.outreach.models import (
    LetterBatch,
    ServiceOffer,
    TargetingEntry,
    TargetingRule,
    TargetingRun,
)
from parcours.people import queries as people_queries
from parcours.people import services as people_services
from parcours.people.models import Person
from parcours.privacy.models import ExtractRun, PurgeRun, RetentionRules
from parcours.privacy.services import purge
from parcours.steering.models import HistoryImport
from tests.aid import factories as aid_factories
from tests.factories import UserFactory, make_person
from tests.steering import factories as f

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)
TODAY = NOW.date()
OLD = datetime.date(2019, 3, 1)  # closed long ago: past the default 5 years
NIR = "2700569123456"


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def worker(org):
    return UserFactory(organisation=org, social_worker=True, departements=["01", "69"])


def closed_long_ago(org, worker, name="Dupont", **data):
    from parcours.rules import nir as nir_rules

    nir = NIR + f"{nir_rules.compute_key(NIR):02d}" if data.pop("with_nir", False) else None
    who = make_person(org=org, actor=worker, last_name=name, nir=nir, **data)
    case = f.case(who, opened=datetime.date(2018, 1, 10), closed=OLD, outcome="ABANDON")
    return who, case


def test_a_closed_file_past_its_period_is_anonymised_and_can_no_longer_be_found(org, worker):
    who, case = closed_long_ago(
        org,
        worker,
        with_nir=True,
        phone="06 01 02 03 04",
        email="claire@example.org",
        address="3 rue des Lilas",
        postal_code="01000",
        birth_date=datetime.date(1970, 5, 17),
        sex="F",
    )
    Case.objects.filter(pk=case.pk).update(synthesis="Claire vit seule depuis son divorce.")
    Contact.objects.create(
        organisation=org, case=case, on=OLD, mode="VAD", staff=worker, note="Chez elle, rue X"
    )
    Objective.objects.create(case=case, label="Retrouver un logement rue X", created_by=worker)
    PrivateNote.objects.create(case=case, author=worker, text="Violences conjugales")
    f.referral(who, datetime.date(2018, 1, 5))  # before the cut-off: no longer active
    assert people_queries.search_people(worker, "Dupont") == [who]

    result = purge.purge(organisation=org, dry_run=False)

    assert result.closed_files == 1
    who.refresh_from_db()
    assert who.anonymised_on == TODAY
    assert str(who) == "Personne anonymisée"
    for name in ("last_name", "first_names", "phone", "email", "address", "postal_code"):
        assert getattr(who, name) == "", name
    assert who.nir_encrypted == who.nir_hash == who.nir_masked == ""
    assert (who.sex, who.birth_date, who.departement_id) == ("F", datetime.date(1970, 7, 1), "01")
    case.refresh_from_db()
    assert case.synthesis == "" and (case.closed_on, case.outcome) == (OLD, "ABANDON")
    assert list(Contact.objects.filter(case=case).values_list("note", "mode")) == [("", "VAD")]
    assert Objective.objects.get(case=case).label == ""
    assert PrivateNote.objects.get(case=case).text == ""
    assert who.referrals.get().reason == ""
    # never found again: name, birth date, NIR; never proposed as a duplicate
    assert people_queries.search_people(worker, "Dupont") == []
    assert people_queries.search_people(worker, "01/07/1970") == []
    assert people_queries.search_people(worker, NIR) == []
    twin = make_person(org=org, actor=worker, last_name="X", birth_date=datetime.date(1970, 7, 1))
    assert who not in people_queries.duplicate_candidates(worker, twin)
    assert not people_services.find_duplicates(
        organisation_id=org.pk, nir=None, last_name="", first_names="", birth_date=who.birth_date
    ).filter(pk=who.pk)
    # one audit row per person, without anything that was erased
    row = AuditEntry.objects.get(person_id=who.pk, summary__startswith="Fiche anonymisée")
    assert "Dupont" not in json.dumps(row.changes) and "Lilas" not in json.dumps(row.changes)


def test_the_person_page_says_anonymised(client, org, worker):
    from tests.conftest import login_as

    who, _ = closed_long_ago(org, worker)
    purge.purge(organisation=org, dry_run=False)
    login_as(client, worker)
    page = client.get(f"/personnes/{who.pk}/").content.decode()
    assert "Personne anonymisée" in page and "DUPONT" not in page.upper()
    assert "Modifier la fiche" not in page
    assert client.get(f"/personnes/{who.pk}/modifier/").status_code == 404


def test_what_is_not_yet_due_is_kept(org, worker):
    kept = {}
    who = make_person(org=org, actor=worker, last_name="Ouvert")
    f.case(who, opened=datetime.date(2018, 1, 1))
    kept["open case"] = who
    who = make_person(org=org, actor=worker, last_name="Recent")
    f.case(who, opened=datetime.date(2018, 1, 1), closed=datetime.date(2022, 1, 1))
    kept["closed 4 years ago"] = who
    who, _ = closed_long_ago(org, worker, "Revenu")
    f.referral(who, datetime.date(2025, 5, 1))
    kept["referred again since"] = who
    who, _ = closed_long_ago(org, worker, "Accueil")
    f.front_line(org, datetime.date(2024, 5, 1), who=who)
    kept["front-line contact since"] = who

    aid_factories.install_catalogue(org, worker)
    with_money = {}
    for name in ("Demande", "Pret", "Indu", "Solde"):
        who, _ = closed_long_ago(org, worker, name)
        request = aid_factories.make_request(person=who, actor=worker)
        AidRequest.objects.filter(pk=request.pk).update(received_on=OLD)
        with_money[name] = (who, request)
    kept["open aid request"] = with_money["Demande"][0]
    who, request = with_money["Pret"]
    AidRequest.objects.filter(pk=request.pk).update(state="payee")
    Instalment.objects.create(request=request, number=1, due_on=OLD, amount=Decimal("50"))
    kept["loan not repaid"] = who
    for name, recovered in (("Indu", "40"), ("Solde", "100")):
        who, request = with_money[name]
        AidRequest.objects.filter(pk=request.pk).update(state="payee")
        overpayment = Overpayment.objects.create(
            organisation=org,
            request=request,
            amount=Decimal("100"),
            detected_on=OLD,
            reason="Trop perçu",
            recorded_by=worker,
        )
        Recovery.objects.create(
            overpayment=overpayment, amount=Decimal(recovered), on=OLD, recorded_by=worker
        )
    kept["overpayment not recovered"] = with_money["Indu"][0]
    due, _ = closed_long_ago(org, worker, "Echu")

    result = purge.purge(organisation=org, dry_run=False)

    anonymised = set(
        Person.objects.filter(anonymised_on__isnull=False).values_list("pk", flat=True)
    )
    assert anonymised == {due.pk, with_money["Solde"][0].pk}
    assert result.closed_files == 2
    for why, who in kept.items():
        assert who.pk not in anonymised, why


def test_the_period_is_the_organisations(org, worker):
    who = make_person(org=org, actor=worker, last_name="Recent")
    f.case(who, opened=datetime.date(2018, 1, 1), closed=datetime.date(2024, 6, 14))
    RetentionRules.objects.create(organisation=org, closed_files_years=2)
    # rules.retention : le jour anniversaire, les 2 ans sont passés
    assert purge.purge(organisation=org, as_of=datetime.date(2026, 6, 13)).closed_files == 0
    assert purge.purge(organisation=org, as_of=datetime.date(2026, 6, 14)).closed_files == 1


def test_merged_duplicates_are_anonymised_with_their_file_and_links_stay(org, worker):
    keep, _ = closed_long_ago(org, worker, "Garde")
    duplicate = make_person(org=org, actor=worker, last_name="Doublon")
    Person.objects.filter(pk=duplicate.pk).update(merged_into=keep)
    purge.purge(organisation=org, dry_run=False)
    duplicate.refresh_from_db()
    assert duplicate.anonymised_on == TODAY and duplicate.last_name == ""
    assert duplicate.merged_into_id == keep.pk


def _targeting_run(org, worker, created_at, file_path=""):
    rule, _ = TargetingRule.objects.get_or_create(
        organisation=org, code="ARRETS", defaults={"name": "Arrêts longs"}
    )
    run = TargetingRun.objects.create(
        organisation=org,
        rule=rule,
        rule_code="ARRETS",
        programme="PDP",
        file_name="extrait.csv",
        file_sha256=f"{created_at:%Y%m%d%H%M%S%f}",
        file_path=str(file_path),
        extraction_date=created_at.date(),
        status=TargetingRun.Status.TERMINE,
        created_by=worker,
        errors=[{"ligne": 3, "motif": "« Dupont »"}],
    )
    TargetingRun.objects.filter(pk=run.pk).update(created_at=created_at)
    return run


def _target(run, who, known=False):
    return TargetingEntry.objects.create(
        organisation=run.organisation,
        run=run,
        person=who,
        departement_id=who.departement_id,
        line=1,
        already_known=known,
    )


def test_targets_never_reached_are_deleted_or_anonymised_when_an_offer_counts(org, worker):
    old = _targeting_run(org, worker, NOW - datetime.timedelta(days=400))
    recent = _targeting_run(org, worker, NOW - datetime.timedelta(days=100))
    never = make_person(org=org, actor=worker, last_name="Jamais")
    _target(old, never)
    offered = make_person(org=org, actor=worker, last_name="Offre")
    _target(old, offered)
    f.offer(offered, datetime.date(2025, 6, 1))
    answered = make_person(org=org, actor=worker, last_name="Repondu")
    _target(old, answered)
    offer = f.offer(answered, datetime.date(2025, 6, 1))
    type(offer).objects.filter(pk=offer.pk).update(status="ACCEPTEE")
    met = make_person(org=org, actor=worker, last_name="Rencontre")
    _target(old, met)
    f.case(met, opened=datetime.date(2025, 7, 1))
    again = make_person(org=org, actor=worker, last_name="Recible")
    _target(old, again)
    _target(recent, again, known=True)
    known = make_person(org=org, actor=worker, last_name="Connu")
    _target(old, known, known=True)

    essai = purge.purge(organisation=org)
    assert (essai.targets_deleted, essai.targets_anonymised) == (1, 1)
    result = purge.purge(organisation=org, dry_run=False)

    assert (result.targets_deleted, result.targets_anonymised) == (1, 1)
    assert not Person.objects.filter(pk=never.pk).exists()
    assert not TargetingEntry.objects.filter(person_id=never.pk).exists()
    assert AuditEntry.objects.filter(person_id=never.pk, action="DELETE").exists()
    offered.refresh_from_db()
    assert (
        offered.anonymised_on == TODAY and ServiceOffer.objects.filter(person=offered).count() == 1
    )
    for who in (answered, met, again, known):
        who.refresh_from_db()
        assert who.anonymised_on is None, who.last_name
    assert result.as_json()["personnes_anonymisees"] == 1


def test_old_files_and_documents_are_deleted_from_disk_and_their_rows(org, worker, tmp_path):
    old_file = tmp_path / "ancien.csv"
    old_file.write_text("nir;nom\n", encoding="utf-8")
    new_file = tmp_path / "recent.csv"
    new_file.write_text("nir;nom\n", encoding="utf-8")
    old = _targeting_run(org, worker, NOW - datetime.timedelta(days=100), old_file)
    recent = _targeting_run(org, worker, NOW - datetime.timedelta(days=30), new_file)
    lot = tmp_path / "lot.zip"
    lot.write_bytes(b"PK")
    job = HistoryImport.objects.create(
        organisation=org, file_name="lot.zip", stored_as=str(lot), created_by=worker
    )
    HistoryImport.objects.filter(pk=job.pk).update(created_at=NOW - datetime.timedelta(days=100))
    campaign = f.offer(make_person(org=org, actor=worker), TODAY).campaign
    batch = LetterBatch.objects.create(
        organisation=org, campaign=campaign, pdf=b"%PDF", created_by=worker
    )
    LetterBatch.objects.filter(pk=batch.pk).update(created_at=NOW - datetime.timedelta(days=100))
    extracts = {}
    for age in (100, 30):  # a web extract's file (var/extraits/), old and recent
        path = tmp_path / f"extrait-{age}.csv"
        path.write_text("pseudonyme;sexe\n", encoding="utf-8")
        run = ExtractRun.objects.create(
            organisation=org,
            year=2025,
            fmt="csv",
            status=ExtractRun.Status.TERMINE,
            stored_as=str(path),
            created_by=worker,
        )
        ExtractRun.objects.filter(pk=run.pk).update(created_at=NOW - datetime.timedelta(days=age))
        extracts[age] = (run, path)

    assert purge.purge(organisation=org).files == 4
    assert old_file.exists() and lot.exists()  # the trial touched nothing
    assert extracts[100][1].exists()
    assert purge.purge(organisation=org, dry_run=False).files == 4
    old_run, old_path = extracts[100]
    old_run.refresh_from_db()
    assert not old_path.exists() and old_run.stored_as == ""
    assert old_run.message == "Fichier supprimé : durée de conservation échue."
    assert extracts[30][1].exists()

    assert not old_file.exists() and not lot.exists() and new_file.exists()
    old.refresh_from_db()
    assert (old.file_path, old.errors) == ("", [])
    recent.refresh_from_db()
    assert recent.file_path == str(new_file)
    assert not HistoryImport.objects.filter(pk=job.pk).exists()
    assert not LetterBatch.objects.filter(pk=batch.pk).exists()


def test_the_audit_trail_is_purged_through_its_one_path_and_says_so(org, worker, other_org):
    with clock.frozen(datetime.datetime(2020, 1, 10, 9, 0, tzinfo=PARIS)):
        for _ in range(3):
            audit.record(actor=worker, action="READ", object_type="person", summary="vue")
        audit.record(actor=None, action="READ", object_type="person", organisation_id=other_org.pk)
    with clock.frozen(datetime.datetime(2022, 1, 10, 9, 0, tzinfo=PARIS)):
        audit.record(actor=worker, action="READ", object_type="person", summary="vue")
    ours = AuditEntry.objects.filter(organisation=org)
    before = ours.count()

    assert purge.purge(organisation=org).audit_entries == 3
    assert ours.count() == before
    result = purge.purge(organisation=org, dry_run=False)

    assert result.audit_entries == 3
    assert not ours.filter(at__year=2020).exists()
    assert ours.filter(at__year=2022).exists()
    assert AuditEntry.objects.filter(organisation=other_org, at__year=2020).count() == 1
    row = ours.get(object_type="auditentry")
    # le jour anniversaire a fait son temps (rules.retention) : avant le 16, le 15 compris
    assert row.changes == {"supprimees": 3, "anterieures_au": "2021-06-16"}
    assert "3 entrées" in row.summary


def _row_counts():
    from django.db import connection

    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (noms de la base)
            counts[table] = cursor.fetchone()[0]
    return counts


def test_a_trial_writes_nothing(org, worker, call, tmp_path):
    closed_long_ago(org, worker)
    run = _targeting_run(org, worker, NOW - datetime.timedelta(days=400), tmp_path / "x.csv")
    (tmp_path / "x.csv").write_text("x", encoding="utf-8")
    _target(run, make_person(org=org, actor=worker, last_name="Jamais"))
    with clock.frozen(datetime.datetime(2019, 1, 10, 9, 0, tzinfo=PARIS)):
        audit.record(actor=worker, action="READ", object_type="person")
    counts = _row_counts()
    people = list(Person.objects.order_by("pk").values())

    out = json.loads(
        call("rgpd", "purger", "--organisation", org.code, "--essai", "--format", "json")
    )

    assert out == {
        "date": "2026-06-15",
        "essai": True,
        "personnes_anonymisees": 1,
        "cibles_supprimees": 1,
        "fichiers_supprimes": 1,
        "journal_supprime": 1,
    }
    assert _row_counts() == counts
    assert list(Person.objects.order_by("pk").values()) == people
    assert (tmp_path / "x.csv").exists()
    assert not PurgeRun.objects.exists()
    assert apps.get_model("privacy", "PurgeRun").objects.count() == 0


def test_the_command_reads_like_a_report_and_records_the_run(org, worker, call):
    closed_long_ago(org, worker)
    text = call("rgpd", "purger", "--organisation", org.code, "--date", "2026-06-01")
    assert "Purge de conservation au 01/06/2026 — purge réelle." in text
    assert "Dossiers clos depuis plus de 5 ans" in text and "1 personne anonymisée" in text
    run = PurgeRun.objects.get()
    assert (run.as_of, run.by, run.dry_run) == (datetime.date(2026, 6, 1), None, False)
    assert run.counts["personnes_anonymisees"] == 1 and run.finished_at


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2026-06-16", "à venir"),
        ("2026-13-01", "n'est pas une date AAAA-MM-JJ"),
        ("15/06/2026", "n'est pas une date AAAA-MM-JJ"),
    ],
)
def test_future_or_malformed_dates_are_refused_in_french(org, call, date, message):
    with pytest.raises(CommandError, match=message):
        call("rgpd", "purger", "--organisation", org.code, "--date", date)
    assert not PurgeRun.objects.exists()


def test_only_an_admin_or_the_dpo_may_sign_a_purge(org, call):
    UserFactory(organisation=org, username="dpo", is_dpo=True)
    UserFactory(organisation=org, username="as", social_worker=True)
    with pytest.raises(CommandError, match="ni administrateur ni DPO"):
        call("rgpd", "purger", "--organisation", org.code, "--agent", "as")
    with pytest.raises(CommandError, match="Organisme inconnu"):
        call("rgpd", "purger", "--organisation", "nulle-part")
    call("rgpd", "purger", "--organisation", org.code, "--agent", "dpo")
    assert PurgeRun.objects.get().by.username == "dpo"
