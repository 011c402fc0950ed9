"""Les tranches d'âge de l'organisme : service (contrôle, journal avant/après) et formulaire."""

import pytest

from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.observatory import queries
from parcours.observatory.forms import AgeThresholdsForm
from parcours.observatory.models import ObservatorySettings
from parcours.observatory.services.settings import update_age_thresholds
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def steering(org):
    return UserFactory(organisation=org, steering=True)


def test_first_setting_created_and_audited(org, steering):
    settings = update_age_thresholds(actor=steering, organisation=org, raw="65, 75, 85")
    assert settings.age_thresholds == [65, 75, 85]
    assert queries.age_thresholds(org.pk) == (65, 75, 85)
    entry = AuditEntry.objects.get(object_type="observatorysettings")
    assert entry.action == "CREATE" and entry.actor == steering
    assert entry.organisation_id == org.pk
    assert entry.changes == {"age_thresholds": {"avant": [70, 80, 90], "apres": [65, 75, 85]}}
    assert entry.summary == (
        "Tranches d'âge de l'observatoire : 70, 80, 90 → 65, 75, 85 (pour les prochains imports)"
    )


def test_update_audits_before_and_after_and_nothing_when_unchanged(org, steering):
    update_age_thresholds(actor=steering, organisation=org, raw=[65, 75, 85])
    update_age_thresholds(actor=steering, organisation=org, raw="60;75;95")
    entry = AuditEntry.objects.filter(object_type="observatorysettings").latest("id")
    assert entry.action == "UPDATE"
    assert entry.changes == {"age_thresholds": {"avant": [65, 75, 85], "apres": [60, 75, 95]}}
    update_age_thresholds(actor=steering, organisation=org, raw=["60", "75", "95"])
    assert AuditEntry.objects.filter(object_type="observatorysettings").count() == 2
    # vide : retour aux âges par défaut
    update_age_thresholds(actor=steering, organisation=org, raw="")
    assert queries.age_thresholds(org.pk) == (70, 80, 90)
    assert ObservatorySettings.objects.count() == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("70, 80", "Trois âges attendus (début des tranches 2, 3 et 4)."),
        ("70, quatre-vingts, 90", "Trois âges entiers attendus, par exemple « 70, 80, 90 »."),
        ([70, 80, 121], "Chaque âge doit être compris entre 1 et 120 ans."),
        ("80, 70, 90", "Les trois âges doivent être strictement croissants."),
        ("70, 70, 90", "Les trois âges doivent être strictement croissants."),
        (42, "Trois âges entiers attendus, par exemple « 70, 80, 90 »."),
    ],
)
def test_bad_input_refused_in_french_nothing_written(org, steering, raw, message):
    with pytest.raises(BusinessError) as error:
        update_age_thresholds(actor=steering, organisation=org, raw=raw)
    assert error.value.errors == {"age_thresholds": message}
    assert not ObservatorySettings.objects.exists()
    assert not AuditEntry.objects.filter(object_type="observatorysettings").exists()


def test_another_organisations_agent_refused(org, other_org):
    outsider = UserFactory(organisation=other_org, steering=True)
    with pytest.raises(BusinessError, match="un autre organisme"):
        update_age_thresholds(actor=outsider, organisation=org, raw="65, 75, 85")
    assert not ObservatorySettings.objects.exists()


def test_form_shows_the_organisations_ages_and_checks_them(org, steering):
    assert AgeThresholdsForm(organisation=org).initial == {"age_2": 70, "age_3": 80, "age_4": 90}
    update_age_thresholds(actor=steering, organisation=org, raw="65, 75, 85")
    assert AgeThresholdsForm(organisation=org).initial == {"age_2": 65, "age_3": 75, "age_4": 85}
    form = AgeThresholdsForm({"age_2": "66", "age_3": "76", "age_4": "86"}, organisation=org)
    assert form.is_valid() and form.raw() == [66, 76, 86]
    update_age_thresholds(actor=steering, organisation=org, raw=form.raw())
    assert queries.age_thresholds(org.pk) == (66, 76, 86)
    bad = AgeThresholdsForm({"age_2": "80", "age_3": "75", "age_4": "90"}, organisation=org)
    assert not bad.is_valid()
    assert bad.non_field_errors() == ["Les trois âges doivent être strictement croissants."]
    out = AgeThresholdsForm({"age_2": "0", "age_3": "", "age_4": "soixante"}, organisation=org)
    assert not out.is_valid()
    assert out.errors == {
        "age_2": ["Chaque âge doit être compris entre 1 et 120 ans."],
        "age_3": ["Indiquez un âge."],
        "age_4": ["Un âge en années entières."],
    }
