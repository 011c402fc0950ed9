"""Écritures des subventions : convention exigée, budget et montant accordé jamais dépassés,
passages de la candidature, ligne du journal à chaque écriture."""

import datetime
from decimal import Decimal

import pytest

from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.partners import services
from parcours.partners.models import Application, Grant, Payment, YearlyReport
from tests.partners.factories import (
    make_application,
    make_call,
    make_convention,
    make_grant,
    make_partner,
    subsidy_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(org, manager):
    partner = make_partner(org=org, actor=manager, name="Siel Bleu Ain")
    convention = make_convention(partner=partner, actor=manager)
    call = make_call(org=org, actor=manager, budget="20000")
    retained = make_application(call=call, partner=partner, actor=manager, status="RETENUE")
    return {"partner": partner, "convention": convention, "call": call, "retained": retained}


def audit_rows(obj):
    return AuditEntry.objects.filter(object_type=obj._meta.model_name, object_id=str(obj.pk))


def test_every_write_leaves_an_audit_row(org, manager):
    world = subsidy_world(org=org, actor=manager)
    for key in ("call", "application", "grant", "payment", "report"):
        obj = world[key]
        assert audit_rows(obj).filter(actor=manager, organisation=org).exists(), key
    statuses = audit_rows(world["application"]).order_by("at", "pk")
    assert [e.summary for e in statuses] == [
        "Candidature enregistrée",
        "Candidature instruite",
        "Candidature retenue",
    ]
    assert statuses.last().changes["status"] == {"avant": "INSTRUITE", "apres": "RETENUE"}
    grant_row = audit_rows(world["grant"]).get()
    assert grant_row.changes["amount"] == {"avant": None, "apres": "10000"}
    assert grant_row.summary == "Subvention accordée pour 2026"


def test_call_dates_and_budget_checked(org, manager):
    with pytest.raises(BusinessError) as error:
        make_call(
            org=org,
            actor=manager,
            opens_on=datetime.date(2026, 4, 1),
            closes_on=datetime.date(2026, 3, 31),
        )
    assert error.value.errors == {
        "closes_on": "La clôture doit être le jour de l'ouverture ou après."
    }
    with pytest.raises(BusinessError, match="Programme inconnu"):
        make_call(org=org, actor=manager, programme="NUL")


def test_budget_cannot_go_below_granted(setting, manager):
    make_grant(application=setting["retained"], actor=manager, convention=setting["convention"])
    call = setting["call"]
    data = {
        "title": call.title,
        "year": call.year,
        "programme": call.programme,
        "theme": "",
        "budget": Decimal("9999.99"),
        "opens_on": call.opens_on,
        "closes_on": call.closes_on,
        "description": "",
    }
    with pytest.raises(BusinessError) as error:
        services.update_call(actor=manager, call=call, data=data)
    assert error.value.errors["budget"] == (
        "Le budget ne peut pas descendre sous le total déjà accordé (10\u202f000 €)."
    )
    services.update_call(actor=manager, call=call, data=data | {"budget": Decimal("10000")})


def test_application_of_another_organisation_partner_refused(setting, other_org, foreign_manager):
    stranger = make_partner(org=other_org, actor=foreign_manager, name="Ailleurs")
    with pytest.raises(BusinessError, match="Partenaire inconnu dans cet organisme"):
        make_application(call=setting["call"], partner=stranger, actor=foreign_manager)


@pytest.mark.parametrize(
    ("received_on", "ok"),
    [
        (datetime.date(2026, 1, 14), False),
        (datetime.date(2026, 1, 15), True),
        (datetime.date(2026, 3, 31), True),
        (datetime.date(2026, 4, 1), False),
    ],
)
def test_application_received_during_call(setting, manager, received_on, ok):
    if ok:
        make_application(
            call=setting["call"], partner=setting["partner"], actor=manager, received_on=received_on
        )
        return
    with pytest.raises(BusinessError) as error:
        make_application(
            call=setting["call"], partner=setting["partner"], actor=manager, received_on=received_on
        )
    assert error.value.errors["received_on"] == (
        "La candidature doit être reçue pendant l'appel, du 15/01/2026 au 31/03/2026."
    )


def test_status_workflow_refuses_a_jump_and_needs_a_reason(setting, manager):
    application = make_application(call=setting["call"], partner=setting["partner"], actor=manager)
    with pytest.raises(BusinessError) as error:
        services.change_application_status(actor=manager, application=application, status="RETENUE")
    assert "elle doit d'abord être instruite" in error.value.errors["status"]
    services.change_application_status(actor=manager, application=application, status="INSTRUITE")
    with pytest.raises(BusinessError) as error:
        services.change_application_status(
            actor=manager, application=application, status="REJETEE", refusal_reason="  "
        )
    assert error.value.errors == {"refusal_reason": "Indiquez le motif du rejet."}
    with pytest.raises(BusinessError, match="ne peut pas précéder la réception"):
        services.change_application_status(
            actor=manager,
            application=application,
            status="RETENUE",
            decided_on=datetime.date(2026, 2, 9),
        )
    services.change_application_status(
        actor=manager,
        application=application,
        status="REJETEE",
        decided_on=datetime.date(2026, 4, 20),
        refusal_reason="Projet hors du territoire.",
    )
    application.refresh_from_db()
    assert (application.status, application.decided_on, application.refusal_reason) == (
        "REJETEE",
        datetime.date(2026, 4, 20),
        "Projet hors du territoire.",
    )
    with pytest.raises(BusinessError, match="la décision ne se modifie plus"):
        services.change_application_status(actor=manager, application=application, status="RETENUE")


def test_grant_requires_retained_application(setting, manager):
    pending = make_application(
        call=setting["call"], partner=setting["partner"], actor=manager, status="INSTRUITE"
    )
    with pytest.raises(BusinessError, match="Seule une candidature retenue"):
        make_grant(application=pending, actor=manager, convention=setting["convention"])


def test_grant_requires_a_convention_covering_the_year(setting, manager):
    old = make_convention(
        partner=setting["partner"],
        actor=manager,
        object="Convention 2025",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
    )
    with pytest.raises(BusinessError) as error:
        make_grant(application=setting["retained"], actor=manager, convention=old)
    assert error.value.errors == {
        "convention": "Pas de subvention sans convention : « Convention 2025 » (du 01/01/2025 au "
        "31/12/2025) ne couvre pas 2026."
    }
    with pytest.raises(BusinessError, match="ne couvre pas 2027"):
        make_grant(
            application=setting["retained"],
            actor=manager,
            convention=setting["convention"],
            year=2027,
        )
    assert not Grant.objects.exists()
    assert not AuditEntry.objects.filter(object_type="grant").exists()


def test_grant_convention_of_another_partner_refused(setting, org, manager):
    other = make_partner(org=org, actor=manager, name="Autre association")
    foreign_convention = make_convention(partner=other, actor=manager)
    with pytest.raises(BusinessError, match="passée avec ce partenaire"):
        make_grant(application=setting["retained"], actor=manager, convention=foreign_convention)


def test_multi_year_grant_one_line_per_year(setting, manager):
    convention = make_convention(
        partner=setting["partner"],
        actor=manager,
        object="Convention pluriannuelle",
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2028, 12, 31),
    )
    make_grant(application=setting["retained"], actor=manager, convention=convention, amount="6000")
    make_grant(
        application=setting["retained"],
        actor=manager,
        convention=convention,
        amount="6000",
        year=2027,
    )
    with pytest.raises(BusinessError, match="Le montant de 2027 est déjà accordé"):
        make_grant(
            application=setting["retained"],
            actor=manager,
            convention=convention,
            amount="1",
            year=2027,
        )
    with pytest.raises(BusinessError, match="de 2026 à 2030"):
        make_grant(
            application=setting["retained"],
            actor=manager,
            convention=convention,
            amount="1",
            year=2025,
        )
    assert services.granted_total(setting["call"]) == Decimal("12000")


def test_over_budget_refused_to_the_cent(setting, manager):
    make_grant(
        application=setting["retained"],
        actor=manager,
        convention=setting["convention"],
        amount="15000",
    )
    second = make_application(
        call=setting["call"], partner=setting["partner"], actor=manager, status="RETENUE"
    )
    with pytest.raises(BusinessError) as error:
        make_grant(
            application=second, actor=manager, convention=setting["convention"], amount="5000.01"
        )
    assert error.value.errors["amount"] == (
        "Le budget de l'appel serait dépassé : il reste 5\u202f000 € sur 20\u202f000 €."
    )
    make_grant(application=second, actor=manager, convention=setting["convention"], amount="5000")
    assert services.granted_total(setting["call"]) == Decimal("20000")


def test_overpayment_refused(setting, manager):
    grant = make_grant(
        application=setting["retained"], actor=manager, convention=setting["convention"]
    )
    services.record_payment(
        actor=manager, grant=grant, paid_on=datetime.date(2026, 5, 1), amount=Decimal("6000")
    )
    with pytest.raises(BusinessError) as error:
        services.record_payment(
            actor=manager, grant=grant, paid_on=datetime.date(2026, 9, 1), amount=Decimal("4000.01")
        )
    assert error.value.errors == {
        "amount": "Ce versement dépasserait le montant accordé : il reste 4\u202f000 € à verser "
        "sur 10\u202f000 €."
    }
    services.record_payment(
        actor=manager, grant=grant, paid_on=datetime.date(2026, 9, 1), amount=Decimal("4000")
    )
    assert services.paid_total(grant) == Decimal("10000")
    with pytest.raises(BusinessError, match="il reste 0 €"):
        services.record_payment(
            actor=manager, grant=grant, paid_on=datetime.date(2026, 9, 2), amount=Decimal("0.01")
        )
    assert Payment.objects.filter(grant=grant).count() == 2
    assert AuditEntry.objects.filter(object_type="payment").count() == 2


def test_report_recorded_then_corrected(setting, manager):
    grant = make_grant(
        application=setting["retained"], actor=manager, convention=setting["convention"]
    )
    data = {
        "participants": 30,
        "sessions": 10,
        "comment": "",
        "received_on": datetime.date(2026, 12, 1),
    }
    report = services.record_report(actor=manager, grant=grant, data=data)
    again = services.record_report(actor=manager, grant=grant, data=data | {"participants": 32})
    assert again.pk == report.pk and YearlyReport.objects.get().participants == 32
    assert [e.summary for e in audit_rows(report).order_by("at", "pk")] == [
        "Bilan 2026 enregistré",
        "Bilan 2026 corrigé",
    ]
    with pytest.raises(BusinessError, match="ne peut être reçu avant 2026"):
        services.record_report(
            actor=manager, grant=grant, data=data | {"received_on": datetime.date(2025, 12, 31)}
        )


def test_export_audit_row(manager):
    entry = services.record_grants_export(actor=manager, year=2026, count=3, fmt="xlsx")
    assert entry.action == AuditEntry.Action.EXPORT
    assert entry.summary == "Subventions accordées 2026 (3 lignes, xlsx)"
    assert entry.organisation_id == manager.organisation_id
    assert Application.objects.count() == 0
