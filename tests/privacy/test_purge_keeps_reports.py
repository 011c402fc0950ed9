"""La preuve : sur un historique de plusieurs années généré (la démonstration : quatre années
d'historique importé puis quatorze mois d'activité, deux départements, accompagnements clos et
ouverts, aides, actions collectives, offres, signalements, orientations, parcours partagés), le
rapport d'activité de chaque année et de chaque niveau de territoire, les indicateurs et
l'évolution sur cinq ans sont les mêmes avant et après la purge réelle, section par section."""

import datetime
import zoneinfo

import pytest

from parcours.aid.models import AidRequest, Evaluation, Overpayment
from parcours.cases.models import Case, Contact, Objective, PrivateNote
from parcours.core import clock
from parcours.core.models import Organisation
from parcours.groups.models import Answer
from parcours.outreach.models import AppointmentRequest, FrontLineContact, Referral
from parcours.people.models import Person
from parcours.privacy.models import PurgeRun, RetentionRules
from parcours.privacy.services import purge, selection
from parcours.sharing.models import (
    Consent,
    Orientation,
    OrientationEvent,
    PathwayStep,
    PathwaySynthesis,
)
from parcours.steering import dashboard, report

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 11, 22, 9, 0, tzinfo=PARIS)
YEARS = range(2021, 2027)
#: (modèle, chemin vers la personne, texte libre) : vides après l'anonymisation
FREE_TEXT = [
    (Case, "person", "synthesis"),
    (Contact, "case__person", "note"),
    (Objective, "case__person", "label"),
    (PrivateNote, "case__person", "text"),
    (Evaluation, "person", "situation"),
    (AidRequest, "person", "opinion"),
    (AidRequest, "person", "decision_reason"),
    (Overpayment, "request__person", "reason"),
    (Referral, "person", "reason"),
    (Referral, "person", "emitter_name"),
    (FrontLineContact, "person", "reason"),
    (AppointmentRequest, "person", "reason"),
    (Consent, "person", "purpose"),
    (PathwayStep, "pathway__person", "text"),
    (PathwaySynthesis, "pathway__person", "text"),
    (Orientation, "person", "request"),
    (OrientationEvent, "orientation__person", "comment"),
    (Answer, "response__invitation__person", "text"),
]


def free_text(ids):
    return {
        (model.__name__, column): model.objects.filter(**{f"{path}__in": ids})
        .exclude(**{column: ""})
        .count()
        for model, path, column in FREE_TEXT
    }


@pytest.fixture
def demo(call):
    with clock.frozen(NOW):
        call("demo", personnes=250, seed=11)
        yield Organisation.objects.get(code="carsat-demo")


def territories(org):
    return [
        report.territory(org),
        report.territory(org, region="84"),
        report.territory(org, departement="01"),
        report.territory(org, departement="69"),
    ]


def figures(org):
    out = {}
    for where in territories(org):
        for year in YEARS:
            out[("rapport", where.code, year)] = report.build(org, year, where)
            out[("indicateurs", where.code, year)] = dashboard.indicator_rows(org, year, where)
            out[("par_as", where.code, year)] = dashboard.per_social_worker(org, year, where)
        out[("evolution", where.code)] = report.evolution(org, 2026, where)
    return out


def test_past_reports_indicators_and_evolutions_are_unchanged_by_the_purge(demo):
    with clock.frozen(NOW):
        # 0 year: every dormant closed file is due today — live files (notes, syntheses, aid,
        # pathways…) as well as the imported years: the hardest case for the figures
        RetentionRules.objects.update_or_create(  # la démonstration a déjà les siennes
            organisation=demo, defaults={"closed_files_years": 0, "unreached_targets_months": 1}
        )
        before = figures(demo)
        due = selection.closed_files(demo.pk, NOW.date())
        texts = free_text(due)
        essai = purge.purge(organisation=demo, dry_run=True)
        done = purge.purge(organisation=demo, dry_run=False)
        after = figures(demo)

    assert done.as_json() | {"essai": True} == essai.as_json()
    anonymised = Person.objects.filter(organisation=demo, anonymised_on__isnull=False)
    assert done.closed_files >= 50, done.as_json()  # des années d'historique clos
    assert anonymised.count() >= done.people_anonymised
    # people that were helped in past years are among them: the reports really went through
    assert Contact.objects.filter(case__person__in=anonymised, on__year__lt=2025).exists()
    assert set(before) == set(after)
    # the anonymised files held free text (notes, syntheses, reasons…): none is left
    assert sum(texts.values()) > 100, texts
    assert sum(1 for n in texts.values() if n) >= 5, texts
    assert set(free_text(due).values()) == {0}
    assert not anonymised.exclude(last_name="", first_names="", phone="", email="", address="")
    assert not anonymised.exclude(nir_hash="").exists()
    assert set(anonymised.values_list("birth_date__day", "birth_date__month").distinct()) == {
        (1, 7)
    }
    for key, value in before.items():
        if key[0] == "rapport":
            for section in value:
                assert after[key][section] == value[section], (key, section)
        else:
            assert after[key] == value, key
    run = PurgeRun.objects.get(organisation=demo)
    assert run.counts["personnes_anonymisees"] == done.people_anonymised
    assert run.finished_at is not None and not run.dry_run

    # a second real run finds nothing more to do
    with clock.frozen(NOW):
        again = purge.purge(organisation=demo, dry_run=False)
    assert again.people_anonymised == 0 and again.targets_deleted == 0
