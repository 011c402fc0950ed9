"""Durées de conservation : l'administrateur les enregistre (bornes de rules.retention, messages
français, journal) ; le DPO les lit ; les lignes du registre qui y renvoient suivent."""

import pytest
from django.urls import reverse

from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.privacy.models import RetentionRules
from parcours.privacy.queries.register import retention_rules_of
from parcours.privacy.services import register as services
from tests.conftest import login_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VALUES = {
    "closed_files_years": 5,
    "unreached_targets_months": 12,
    "import_files_months": 3,
    "audit_years": 5,
}


def test_defaults_are_read_without_writing(org):
    rules = retention_rules_of(org)
    assert rules.pk is None
    assert (
        rules.closed_files_years,
        rules.unreached_targets_months,
        rules.import_files_months,
        rules.audit_years,
    ) == (5, 12, 3, 5)
    assert not RetentionRules.objects.exists()


def test_admin_saves_the_rules_audited(client, org):
    admin = UserFactory(organisation=org, admin=True)
    login_as(client, admin)
    url = reverse("protection-donnees-conservation")
    assert client.get(url).status_code == 200
    response = client.post(url, VALUES | {"closed_files_years": 10, "audit_years": 1})
    assert response.status_code == 302
    rules = RetentionRules.objects.get(organisation=org)
    assert (rules.closed_files_years, rules.audit_years) == (10, 1)
    entry = AuditEntry.objects.get(object_type="retentionrules")
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == admin
    response = client.post(url, VALUES)
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(object_type="retentionrules").latest("pk")
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {
        "closed_files_years": {"avant": 10, "apres": 5},
        "audit_years": {"avant": 1, "apres": 5},
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("closed_files_years", "0", "Dossiers clos : de 1 à 10 ans (vous avez écrit 0)."),
        ("closed_files_years", "11", "Dossiers clos : de 1 à 10 ans (vous avez écrit 11)."),
        (
            "unreached_targets_months",
            "25",
            "Personnes ciblées jamais jointes : de 1 à 24 mois (vous avez écrit 25).",
        ),
        ("import_files_months", "13", "Fichiers importés : de 1 à 12 mois (vous avez écrit 13)."),
        ("audit_years", "0", "Journal : de 1 à 10 ans (vous avez écrit 0)."),
        ("audit_years", "cinq", "Journal : la durée s&#x27;écrit en chiffres, en ans."),
        ("audit_years", "", "Journal : indiquez une durée en ans."),
    ],
)
def test_out_of_bounds_refused_in_french_nothing_saved(client, org, field, value, message):
    login_as(client, UserFactory(organisation=org, admin=True))
    response = client.post(reverse("protection-donnees-conservation"), VALUES | {field: value})
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert "Rien n'est enregistré" in html
    assert not RetentionRules.objects.exists()
    assert not AuditEntry.objects.filter(object_type="retentionrules").exists()


def test_service_refuses_out_of_bounds_too(org):
    with pytest.raises(BusinessError) as refused:
        services.update_retention_rules(
            actor=None, organisation=org, values=VALUES | {"closed_files_years": 0}
        )
    assert refused.value.errors == {
        "closed_files_years": "Dossiers clos : de 1 à 10 ans (vous avez écrit 0)."
    }


def test_dpo_reads_the_rules_without_a_form(client, org):
    dpo = UserFactory(organisation=org, function="", is_dpo=True)
    login_as(client, dpo)
    html = client.get(reverse("protection-donnees-conservation")).content.decode()
    assert "12 mois après le ciblage, puis suppression" in html
    assert "<form" not in html.split('id="contenu"')[1]
