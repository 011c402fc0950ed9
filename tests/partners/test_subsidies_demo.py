"""Les subventions de démonstration : deux appels, six candidatures, trois subventions sous
convention, des versements, un bilan, deux actions collectives financées ; régénérées sans
doublon, par les services (journal)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from parcours.core.models import AuditEntry, Organisation, User
from parcours.groups.models import GroupAction
from parcours.partners import queries, services
from parcours.partners.models import Application, Grant, Payment, ProjectCall, YearlyReport
from parcours.rules import subsidies as rules
from tests.conftest import login_as

pytestmark = pytest.mark.django_db


def test_demo_subsidies(client, today):
    call_command("demo", personnes=60, stdout=open("/dev/null", "w"))  # noqa: SIM115
    org = Organisation.objects.get(code="carsat-demo")
    calls = ProjectCall.objects.filter(organisation=org).order_by("year")
    assert [c.year for c in calls] == [2025, 2026]
    rows = queries.calls_with_figures(calls, today)
    assert [r.status for r in rows] == [rules.DECIDED, rules.CLOSED]
    applications = Application.objects.filter(call__organisation=org)
    assert applications.count() == 6
    assert sorted(applications.values_list("status", flat=True)) == [
        "DEPOSEE",
        "INSTRUITE",
        "REJETEE",
        "RETENUE",
        "RETENUE",
        "RETENUE",
    ]
    grants = Grant.objects.filter(application__call__organisation=org)
    assert grants.values("application").distinct().count() == 3
    assert sorted(grants.values_list("year", flat=True)) == [2025, 2026, 2026, 2027]
    for grant in grants:
        assert rules.convention_covers(grant.convention.start, grant.convention.end, grant.year)
        assert services.paid_total(grant) <= grant.amount
    assert Payment.objects.filter(grant__in=grants).count() == 4
    for row in rows:
        assert row.granted <= row.call.budget
    report = YearlyReport.objects.get(grant__in=grants)
    funded = GroupAction.objects.filter(organisation=org, grant=report.grant)
    assert funded.count() == 1
    assert GroupAction.objects.filter(organisation=org, grant__isnull=False).count() == 2
    assert AuditEntry.objects.filter(object_type="grant").count() == 4

    manager = User.objects.get(username="manager.ain")
    login_as(client, manager)
    page = client.get(reverse("subvention", args=[report.grant.pk]))
    activity = page.context["activity"]
    assert activity.sessions > 0 and activity.participants > 0
    assert page.context["gaps"]["participants"] == 14 - activity.participants
    assert client.get(reverse("subventions")).status_code == 200

    from parcours.demo import partners as partners_demo
    from parcours.demo import subsidies as subsidies_demo

    partners_demo.generate(code=org.code)  # l'annuaire régénéré efface d'abord les subventions
    assert not ProjectCall.objects.filter(organisation=org).exists()
    assert subsidies_demo.generate(code=org.code) == {
        "appels": 2,
        "candidatures": 6,
        "subventions": 4,
        "versements": 4,
        "bilans": 1,
    }
    subsidies_demo.generate(code=org.code)
    assert Application.objects.filter(call__organisation=org).count() == 6
    assert GroupAction.objects.filter(organisation=org, grant__isnull=False).count() == 2
