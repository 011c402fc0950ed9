"""Ciblage sur un fichier d'événements (formats.md §6.4) par le mécanisme commun : essai, import
réel, un import par fichier et par règle, exclusions (accompagnement ouvert, offre récente,
visite à domicile récente pour les 90 ans et plus)."""

import datetime

import pytest

from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.core.nomenclatures import Mode, Programme
from parcours.outreach import services
from parcours.outreach.models import TargetingEntry, TargetingRun
from parcours.people.models import Person
from tests.factories import UserFactory, make_case, make_contact, make_person
from tests.outreach.factories import event_row, nir_for, write_events
from tests.steering.factories import offer

pytestmark = pytest.mark.django_db
EXTRACTION = datetime.date(2026, 6, 1)
OLD = datetime.date(1930, 2, 1)


def counts():
    return (
        Person.objects.count(),
        TargetingEntry.objects.count(),
        TargetingRun.objects.count(),
        AuditEntry.objects.count(),
    )


def run(org, path, code="NOUVEAU_RETRAITE", dry_run=False, **kwargs):
    return services.run_events_extract(
        actor=None,
        organisation=org,
        path=path,
        extraction_date=kwargs.pop("on", EXTRACTION),
        dry_run=dry_run,
        code=code,
        **kwargs,
    )


def set_rule(org, code, **parameters):
    manager = UserFactory(organisation=org, manager=True)
    rule = services.targeting_rule(organisation=org, code=code)
    services.update_targeting_rule(actor=manager, rule=rule, parameters=parameters)


@pytest.fixture
def sample(tmp_path):
    return write_events(
        tmp_path / "evenements.csv",
        [
            event_row(1, when="2026-04-02"),  # ligne 2 : 60 jours -> ciblée
            event_row(2, when="2026-04-01"),  # ligne 3 : 61 jours -> non
            event_row(3, "C2S", "2026-05-20"),  # ligne 4 : autre événement
            event_row(4, "MARIAGE"),  # ligne 5 : code inconnu
            event_row(5, when="2026-06-02"),  # ligne 6 : après l'extraction
            event_row(6, when="2026-05-30", commune="69123"),  # ligne 7 : ciblée, Rhône
        ],
    )


def test_dry_run_writes_nothing_and_reports_rows(org, sample):
    before = counts()
    dry = run(org, sample, dry_run=True)
    assert counts() == before
    assert (dry.lines, dry.valid, dry.rejected, dry.targeted, dry.new_people) == (6, 4, 2, 2, 2)
    assert dry.errors == [
        {
            "ligne": 5,
            "colonne": "evenement",
            "motif": "code événement « MARIAGE » inconnu (attendu : NOUVEAU_RETRAITE, REVERSION, "
            "C2S, SEPARATION, NAISSANCE, DECES_CONJOINT, IMPAYE_LOYER, "
            "SORTIE_HOSPITALISATION, PLUS_90_ANS)",
        },
        {
            "ligne": 6,
            "colonne": "date_evenement",
            "motif": "événement postérieur à la date d'extraction",
        },
    ]
    assert dry.programme == Programme.BIEN_VIEILLIR and dry.pk is None


def test_real_run_only_selected_rows_become_people(org, sample):
    real = run(org, sample)
    assert real.status == TargetingRun.Status.TERMINE and real.targeted == 2
    assert sorted(p.last_name.upper() for p in Person.objects.all()) == ["EVENEMENT1", "EVENEMENT6"]
    entries = list(TargetingEntry.objects.order_by("line"))
    assert [(e.line, e.event, e.event_date, e.departement_id, e.score) for e in entries] == [
        (2, "NOUVEAU_RETRAITE", datetime.date(2026, 4, 2), "01", None),
        (7, "NOUVEAU_RETRAITE", datetime.date(2026, 5, 30), "69", None),
    ]
    assert AuditEntry.objects.filter(object_type="person", action="CREATE").count() == 2
    assert real.parameters == {"delai_max_jours": 60, "departements": [], "delai_offre_mois": 12}


def test_one_run_per_file_and_rule(org, sample):
    first = run(org, sample)
    before = counts()
    again = run(org, sample)
    assert again.status == TargetingRun.Status.DEJA_IMPORTE and again.pk is None
    assert "déjà été importé" in again.message and f"n°{first.pk}" in again.message
    assert counts() == before
    other = run(org, sample, code="C2S")  # le même fichier, une autre règle : un autre ciblage
    assert other.status == TargetingRun.Status.TERMINE and other.targeted == 1
    assert run(org, sample, code="C2S").status == TargetingRun.Status.DEJA_IMPORTE


def test_already_in_case_of_the_programme_and_known_people(org, tmp_path):
    referent = UserFactory(organisation=org, social_worker=True, departements=["01"])
    in_case = make_person(org=org, nir=nir_for(1, birth=datetime.date(1964, 4, 1)))
    make_case(person=in_case, referent=referent, programme=Programme.BIEN_VIEILLIR)
    other_case = make_person(org=org, nir=nir_for(2, birth=datetime.date(1964, 4, 1)))
    make_case(person=other_case, referent=referent, programme=Programme.PDP)
    path = write_events(tmp_path / "e.csv", [event_row(1), event_row(2), event_row(3)])
    real = run(org, path)
    assert (real.targeted, real.already_in_case, real.already_known, real.new_people) == (
        2,
        1,
        1,
        1,
    )
    assert set(TargetingEntry.objects.values_list("person_id", flat=True)) >= {other_case.pk}
    assert not TargetingEntry.objects.filter(person=in_case).exists()


@pytest.mark.parametrize(
    ("sent", "months", "offered"),
    [
        (datetime.date(2025, 6, 1), 12, True),  # exactement 12 mois avant : dans la période
        (datetime.date(2025, 5, 31), 12, False),  # 12 mois et un jour
        (datetime.date(2026, 5, 1), 0, False),  # 0 : pas d'exclusion
        (datetime.date(2026, 5, 1), 1, True),
    ],
)
def test_already_offered_exclusion(org, tmp_path, sent, months, offered):
    person = make_person(org=org, nir=nir_for(1, birth=datetime.date(1964, 4, 1)))
    offer(person, sent)
    set_rule(org, "NOUVEAU_RETRAITE", delai_offre_mois=months)
    path = write_events(tmp_path / "e.csv", [event_row(1), event_row(2)])
    dry = run(org, path, dry_run=True)
    assert (dry.already_offered, dry.targeted) == ((1, 1) if offered else (0, 2))
    real = run(org, path)
    assert TargetingEntry.objects.filter(run_id=real.pk, person=person).exists() is not offered


def test_plus_90_home_visits_in_parcours(org, tmp_path):
    referent = UserFactory(organisation=org, social_worker=True, departements=["01"])
    people = [make_person(org=org, nir=nir_for(i, birth=OLD), birth_date=OLD) for i in (1, 2, 3)]
    visits = [
        (datetime.date(2024, 6, 1), Mode.VAD),  # 24 mois tout juste : visitée
        (datetime.date(2024, 5, 31), Mode.VAD),  # plus de 24 mois : ciblée
        (datetime.date(2026, 5, 1), Mode.TELEPHONE),  # pas une visite à domicile : ciblée
    ]
    for person, (on, mode) in zip(people, visits, strict=True):
        case = make_case(
            person=person,
            referent=referent,
            programme=Programme.RETOUR_DOMICILE,
            opened_on=datetime.date(2024, 1, 2),
        )
        make_contact(case=case, actor=referent, on=on, mode=mode)
    rows = [event_row(i, "PLUS_90_ANS", "2020-02-01", birth=OLD) for i in (1, 2, 3, 4)]
    rows.append(event_row(5, "PLUS_90_ANS", "2026-01-01", birth=datetime.date(1936, 6, 2)))  # 89
    path = write_events(tmp_path / "e.csv", rows)
    real = run(org, path, code="PLUS_90_ANS")
    targeted = set(TargetingEntry.objects.values_list("line", flat=True))
    assert targeted == {3, 4, 5}  # lignes des personnes 2, 3 et 4 (inconnue)
    assert (real.targeted, real.already_known, real.new_people) == (3, 2, 1)


def test_same_person_twice_same_event_rejected_other_event_kept(org, tmp_path):
    path = write_events(
        tmp_path / "e.csv",
        [event_row(1), event_row(1), event_row(1, "C2S", "2026-05-02")],
    )
    dry = run(org, path, dry_run=True)
    assert (dry.valid, dry.rejected) == (2, 1)
    assert dry.errors == [
        {"ligne": 3, "colonne": "nir", "motif": "même NIR et même événement qu'à la ligne 2"}
    ]


def test_only_event_rules_read_the_events_file(org, sample):
    with pytest.raises(BusinessError):
        run(org, sample, code="ARRET_LONG")


def test_campaign_from_an_events_run(org, sample):
    real = run(org, sample)
    manager = UserFactory(organisation=org, manager=True, departements=["01", "69"])
    people = [e.person for e in real.entries.select_related("person")]
    campaign = services.create_campaign(
        actor=manager,
        name="Nouveaux retraités",
        channel="COURRIER",
        proposal="APPEL",
        programme=real.programme,
        people=people,
        run=real,
        phone="04 74 00 00 00",
    )
    assert campaign.run_id == real.pk and campaign.offers.count() == 2
