"""Services des aides : évaluation, transmission, catalogue daté, circuit des demandes."""

import datetime
from decimal import Decimal

import pytest

from parcours.aid import queries, services
from parcours.aid.models import AidRequest, BudgetLine, Instalment, Regulation, Transmission
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.partners.models import Convention
from parcours.rules import aid_workflow as wf
from tests.aid.factories import (
    ALL_A,
    ALL_C,
    GIR5,
    aid,
    make_convention,
    make_evaluation,
    make_request,
    ready_request,
)

pytestmark = pytest.mark.django_db
D = Decimal


# ------------------------------------------------------------------ évaluations


def test_evaluation_computes_gir_and_routing_and_is_audited(world):
    evaluation = make_evaluation(person=world["here"], actor=world["as01"], grid=ALL_C)
    assert (evaluation.gir, evaluation.rank, evaluation.competent_body) == (1, 1, "DEPARTEMENT")
    assert evaluation.departement_id == "01"
    assert [(line.service, line.quantity) for line in evaluation.plan_lines.all()] == [
        ("AIDE_MENAGERE", D("12.0"))
    ]
    entry = AuditEntry.objects.get(object_type="evaluation", object_id=str(evaluation.pk))
    assert entry.person_id == world["here"].pk and entry.summary == "Évaluation des besoins : GIR 1"
    assert make_evaluation(person=world["here"], actor=world["as01"], grid=GIR5).competent_body == (
        "CAISSE_RETRAITE"
    )


def test_invalid_grid_says_which_variable_and_saves_nothing(world):
    with pytest.raises(BusinessError) as error:
        make_evaluation(person=world["here"], actor=world["as01"], grid=ALL_A | {"TRA": "X"})
    assert error.value.errors == {"tra": "TRA : « X » n'est pas une modalité A, B ou C."}
    assert not world["here"].evaluations.exists()


def test_future_date_and_convention_rules(world):
    with pytest.raises(BusinessError) as error:
        make_evaluation(
            person=world["here"],
            actor=world["as01"],
            on=datetime.date(2026, 6, 16),
            kind="AUTRE_ORGANISME",
        )
    assert set(error.value.errors) == {"evaluated_on", "convention"}
    convention = make_convention(world["org"])
    with pytest.raises(BusinessError, match="Seule une évaluation pour un autre organisme"):
        make_evaluation(person=world["here"], actor=world["as01"], convention=convention)


@pytest.mark.parametrize(
    ("on", "end", "in_force"),
    [
        (datetime.date(2025, 1, 1), None, True),  # premier jour
        (datetime.date(2024, 12, 31), None, False),  # la veille
        (datetime.date(2026, 6, 1), None, True),  # sans date de fin
        (datetime.date(2026, 5, 31), datetime.date(2026, 5, 31), True),  # dernier jour
        (datetime.date(2026, 6, 1), datetime.date(2026, 5, 31), False),  # le lendemain
    ],
)
def test_evaluation_convention_of_the_directory_in_force(world, on, end, in_force):
    convention = make_convention(world["org"], end=end)
    record = lambda: make_evaluation(  # noqa: E731
        person=world["here"], actor=world["as01"], on=on, kind="AUTRE_ORGANISME",
        convention=convention,
    )  # fmt: skip
    if in_force:
        assert record().convention == convention
    else:
        with pytest.raises(BusinessError) as error:
            record()
        assert error.value.errors == {
            "convention": "La convention n'est pas en vigueur à la date de l'évaluation."
        }


def test_a_convention_of_another_organisation_is_refused(world):
    foreign = make_convention(world["other_org"])
    with pytest.raises(BusinessError) as error:
        make_evaluation(
            person=world["here"], actor=world["as01"], kind="AUTRE_ORGANISME", convention=foreign
        )
    assert error.value.errors == {"convention": "Cette convention n'est pas celle de l'organisme."}


def test_transmission_points_to_the_directory(world):
    from parcours.core.models import Departement
    from parcours.partners.models import Partner

    ain = Partner.objects.create(organisation=world["org"], kind="DEPARTEMENT", name="CD de l'Ain")
    ain.territories.add(Departement.objects.get(code="01"))
    rhone = Partner.objects.create(organisation=world["org"], kind="DEPARTEMENT", name="A Rhône")
    rhone.territories.add(Departement.objects.get(code="69"))
    evaluation = make_evaluation(person=world["here"], actor=world["as01"], grid=ALL_C)
    transmission = services.record_transmission(actor=world["as01"], evaluation=evaluation)
    # le courrier garde son intitulé ; le lien va au département de la personne
    assert (transmission.recipient, transmission.recipient_partner) == (
        "Conseil départemental — Ain",
        ain,
    )
    convention = make_convention(world["org"], partner="MSA Ain-Rhône")
    for_other = make_evaluation(
        person=world["here"], actor=world["as01"], kind="AUTRE_ORGANISME", convention=convention,
        grid=GIR5,
    )  # fmt: skip
    transmission = services.record_transmission(actor=world["as01"], evaluation=for_other)
    assert (transmission.recipient, transmission.recipient_partner) == (
        "MSA Ain-Rhône",
        convention.partner,
    )


def test_transmission_to_the_departement_with_two_month_deadline(world):
    evaluation = make_evaluation(person=world["here"], actor=world["as01"], grid=ALL_C)
    transmission = services.record_transmission(
        actor=world["as01"], evaluation=evaluation, sent_on=datetime.date(2026, 6, 10)
    )
    assert transmission.recipient == "Conseil départemental — Ain"
    assert transmission.deadline == datetime.date(2026, 8, 10)
    with pytest.raises(BusinessError, match="déjà été transmis"):
        services.record_transmission(actor=world["as01"], evaluation=evaluation)


def test_no_transmission_when_the_pension_fund_is_competent(world):
    evaluation = make_evaluation(person=world["here"], actor=world["as01"], grid=GIR5)
    with pytest.raises(BusinessError, match="GIR 5 : la caisse de retraite est compétente"):
        services.record_transmission(actor=world["as01"], evaluation=evaluation)
    assert not Transmission.objects.exists()


def test_evaluations_for_another_organisation_are_counted_and_invoiced(world):
    convention = make_convention(world["org"], price="152.45")
    other = make_convention(world["org"], partner="MSA Ain-Rhône", price="120")
    for day in (3, 4, 5):
        make_evaluation(
            person=world["here"],
            actor=world["as01"],
            on=datetime.date(2026, 5, day),
            kind="AUTRE_ORGANISME",
            convention=convention,
        )
    make_evaluation(
        person=world["here"],
        actor=world["as01"],
        on=datetime.date(2025, 12, 31),
        kind="AUTRE_ORGANISME",
        convention=convention,
    )
    assert queries.evaluation_counts(
        world["org"].pk, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    ) == [
        ("Première demande", 0),
        ("Changement de fréquence", 0),
        ("Renouvellement", 0),
        ("Évaluation pour un autre organisme", 3),
    ]
    rows = queries.convention_counts(
        world["org"].pk, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    )
    by_partner = {r["convention"].partner.name: (r["count"], r["amount"]) for r in rows}
    assert by_partner == {
        convention.partner.name: (3, D("457.35")),
        other.partner.name: (0, D("0.00")),
    }
    # une convention de l'annuaire sans prix unitaire n'est pas une convention d'évaluation
    Convention.objects.create(
        partner=convention.partner, object="Permanences", start=datetime.date(2026, 1, 1)
    )
    assert (
        len(
            queries.convention_counts(
                world["org"].pk, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
            )
        )
        == 2
    )


# ------------------------------------------------------------------ catalogue daté


def test_demo_catalogue_has_two_dated_versions(world):
    versions = Regulation.objects.filter(organisation=world["org"]).order_by("starts_on")
    assert [(r.starts_on, r.ends_on) for r in versions] == [
        (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        (datetime.date(2026, 1, 1), None),
    ]
    assert versions[1].aids.count() == 11
    assert BudgetLine.objects.filter(organisation=world["org"], year=2026).count() == 5


def test_overlapping_version_is_refused(world):
    with pytest.raises(BusinessError) as error:
        services.create_regulation(
            actor=world["as01"],
            organisation_id=world["org"].pk,
            label="Chevauchement",
            starts_on=datetime.date(2025, 12, 1),
            ends_on=datetime.date(2025, 12, 31),
        )
    assert error.value.errors["starts_on"].startswith(
        "Ces dates chevauchent la version du 01/01/2025 au 31/12/2025"
    )
    # un autre organisme n'est pas concerné
    services.create_regulation(
        actor=world["as01"],
        organisation_id=world["org"].pk,
        label="Ancien",
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
    )


def test_new_version_never_changes_past_decisions(world):
    request = ready_request(
        person=world["here"],
        actor=world["as01"],
        code="cpam-aide-precarite",
        facts={"monthly_income": D("900")},
    )
    services.decide(
        actor=world["manager01"],
        request=request,
        decision="accorder",
        amount=D("300"),
        reason="Sous le seuil.",
    )
    current = Regulation.objects.get(organisation=world["org"], ends_on__isnull=True)
    new = services.new_regulation_version(
        actor=world["as01"], previous=current, label="2026 bis", starts_on=datetime.date(2026, 7, 1)
    )
    current.refresh_from_db()
    assert current.ends_on == datetime.date(2026, 6, 30)
    assert new.aids.count() == 11
    request.refresh_from_db()
    assert request.aid.regulation_id == current.pk and request.decided_amount == D("300")


def test_request_judged_by_the_version_in_force_on_its_date(world):
    old = make_request(
        person=world["here"],
        actor=world["as01"],
        code="cnracl-chauffage",
        on=datetime.date(2025, 11, 1),
        facts={"regime": "CNRACL", "cost": D("900")},
    )
    new = make_request(
        person=world["here"],
        actor=world["as01"],
        code="cnracl-chauffage",
        facts={"regime": "CNRACL", "cost": D("900")},
    )
    assert (old.proposed_amount, new.proposed_amount) == (D("700.00"), D("760.00"))
    with pytest.raises(BusinessError, match="n'est pas dans la version du règlement en vigueur"):
        services.create_request(
            actor=world["as01"],
            person=world["here"],
            aid=aid(world["org"], "cnracl-chauffage", 2025),
            received_on=datetime.date(2026, 6, 1),
            channel="PERSONNE",
            facts={},
        )


def test_invalid_aid_rules_are_refused(world):
    regulation = Regulation.objects.get(organisation=world["org"], ends_on__isnull=True)
    with pytest.raises(BusinessError) as error:
        services.save_aid(
            actor=world["as01"],
            regulation=regulation,
            data={
                "code": "x",
                "name": "X",
                "conditions": {"age": 3},
                "amount_rule": {"type": "fixe"},
            },
        )
    assert error.value.errors == {
        "conditions": "Condition inconnue : « age ».",
        "amount_rule": "« montant » est obligatoire pour un montant de type fixe.",
    }


# ------------------------------------------------------------------ demandes


def test_request_failing_a_condition_says_which_and_why(world):
    request = make_request(
        person=world["here"],
        actor=world["as01"],
        code="carsat-pap",
        channel="PERSONNE",
        facts={"hours": D("10"), "monthly_income": D("1200"), "regime": "REGIME_GENERAL"},
    )
    assert request.eligible is False and request.proposed_amount == D("0.00")
    failures = [r["texte"] for r in request.reasons if not r["ok"]]
    assert failures == ["GIR inconnu : une évaluation (GIR 5 à 6) est nécessaire."]
    make_evaluation(person=world["here"], actor=world["as01"], grid=GIR5)
    request = make_request(
        person=world["here"],
        actor=world["as01"],
        code="carsat-pap",
        facts={"hours": D("10"), "monthly_income": D("1200"), "regime": "REGIME_GENERAL"},
    )
    assert request.eligible and request.proposed_amount == D("199.20")  # 249 − 20 %
    assert request.facts["gir"] == 5


def test_completion_stops_the_clock_and_delegated_decision(world):
    request = make_request(person=world["here"], actor=world["as01"], on=datetime.date(2026, 5, 1))
    request = services.request_documents(
        actor=world["as01"], request=request, missing=["Justificatifs de ressources", " "]
    )
    assert (request.state, request.missing_documents) == (
        wf.A_COMPLETER,
        ["Justificatifs de ressources"],
    )
    request = services.declare_complete(
        actor=world["as01"], request=request, on=datetime.date(2026, 5, 20)
    )
    assert (request.state, request.completed_on, request.missing_documents) == (
        wf.COMPLETE,
        datetime.date(2026, 5, 20),
        [],
    )
    request = services.give_opinion(
        actor=world["as01"], request=request, favourable=True, opinion="Loyer impayé."
    )
    assert (request.state, request.route) == (wf.AVIS_RENDU, wf.COMMISSION)  # 500 € > plafond 300 €
    with pytest.raises(BusinessError) as error:
        services.decide(
            actor=world["manager01"],
            request=request,
            decision="accorder",
            amount=D("500"),
            reason="x",
        )
    assert error.value.errors["amount"] == (
        "Au-delà du plafond de délégation (300 €) : la demande doit passer en commission."
    )
    request = services.decide(
        actor=world["manager01"],
        request=request,
        decision="accorder",
        amount=D("300"),
        reason="Urgence, montant réduit.",
    )
    assert (request.state, request.decided_amount, request.decided_on) == (
        wf.ACCORDEE,
        D("300"),
        datetime.date(2026, 6, 15),
    )
    assert queries.processing_days(
        world["org"].pk, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    ) == [26]
    assert [e.to_state for e in request.events.all()] == [
        "recue",
        "a_completer",
        "complete",
        "avis_rendu",
        "accordee",
    ]


def test_commission_session_agenda_and_decisions(world):
    big = ready_request(person=world["here"], actor=world["as01"])  # 500 € > 300 €
    small = ready_request(
        person=world["here"],
        actor=world["as01"],
        code="cpam-aide-precarite",
        facts={"monthly_income": D("800")},
    )
    assert (big.route, small.route) == (wf.COMMISSION, wf.DELEGATION)
    session = services.create_session(
        actor=world["manager01"],
        organisation_id=world["org"].pk,
        departement_id="01",
        held_on=datetime.date(2026, 6, 30),
    )
    assert services.build_agenda(actor=world["manager01"], session=session) == 1
    big.refresh_from_db()
    assert (big.state, big.session_id) == (wf.EN_COMMISSION, session.pk)
    big = services.decide(
        actor=world["manager01"], request=big, decision="ajourner", reason="Devis attendu."
    )
    assert big.state == wf.AJOURNEE and big.decided_on is None
    with pytest.raises(BusinessError, match="sans décision"):
        services.build_agenda(actor=world["manager01"], session=session)
        services.close_session(actor=world["manager01"], session=session)
    big.refresh_from_db()
    big = services.decide(
        actor=world["manager01"],
        request=big,
        decision="accorder",
        amount=D("500"),
        reason="Accord.",
    )
    assert (big.state, big.route, big.decided_amount) == (wf.ACCORDEE, wf.COMMISSION, D("500"))
    services.close_session(actor=world["manager01"], session=session)
    with pytest.raises(BusinessError, match="ordre du jour est clos"):
        services.build_agenda(actor=world["manager01"], session=session)


def test_budget_warning_before_exceeding_the_line(world):
    line = BudgetLine.objects.get(organisation=world["org"], code="SECOURS", year=2026)
    line.allocated = D("400")
    line.save()
    first = ready_request(
        person=world["here"],
        actor=world["as01"],
        code="cpam-aide-precarite",
        facts={"monthly_income": D("800")},
    )
    services.decide(
        actor=world["manager01"], request=first, decision="accorder", amount=D("300"), reason="ok"
    )
    second = ready_request(
        person=world["there"],
        actor=world["as69"],
        code="cpam-aide-precarite",
        facts={"monthly_income": D("800")},
    )
    with pytest.raises(BusinessError) as error:
        services.decide(
            actor=world["manager01"],
            request=second,
            decision="accorder",
            amount=D("300"),
            reason="ok",
        )
    assert error.value.errors["amount"].startswith(
        "Attention : accorder 300 € porterait les engagements de la ligne à 600 €, au-delà de sa "
        "dotation de 400 €."
    )
    services.decide(
        actor=world["manager01"],
        request=second,
        decision="accorder",
        amount=D("300"),
        reason="ok",
        confirm_over_budget=True,
    )
    status = {r["line"].code: r for r in queries.budget_status(world["org"].pk, 2026)}
    assert (status["SECOURS"]["committed"], status["SECOURS"]["remaining"]) == (D("600"), D("-200"))


def test_loan_schedule_payment_and_repayments(world):
    request = ready_request(
        person=world["here"],
        actor=world["as01"],
        code="caf-equipement-bebe",
        facts={
            "event": "NAISSANCE",
            "event_on": datetime.date(2026, 5, 1),
            "births": 2,
            "family_quotient": D("500"),
        },
    )
    assert request.proposed_amount == D("700.00")
    with pytest.raises(BusinessError) as error:
        services.decide(
            actor=world["manager01"],
            request=request,
            decision="accorder",
            amount=D("700"),
            monthly_repayment=D("25"),
            reason="Jumeaux.",
        )
    assert error.value.errors == {
        "monthly_repayment": "La mensualité ne peut être inférieure à 30 €."
    }
    request = services.decide(
        actor=world["manager01"],
        request=request,
        decision="accorder",
        amount=D("700"),
        reason="Jumeaux.",
    )
    instalments = list(Instalment.objects.filter(request=request))
    assert request.monthly_repayment == D("30")
    assert len(instalments) == 24 and sum(i.amount for i in instalments) == D("700")
    assert (instalments[0].due_on, instalments[-1].amount) == (
        datetime.date(2026, 7, 31),
        D("10.00"),
    )
    with pytest.raises(BusinessError, match="dépasse le montant accordé"):
        services.record_payment(
            actor=world["manager01"],
            request=request,
            amount=D("800"),
            paid_on=datetime.date(2026, 6, 15),
            payee="PERSONNE",
        )
    services.record_payment(
        actor=world["manager01"],
        request=request,
        amount=D("700"),
        paid_on=datetime.date(2026, 6, 15),
        payee="PERSONNE",
    )
    request.refresh_from_db()
    assert request.state == wf.PAYEE
    services.record_repayment(
        actor=world["manager01"], instalment=instalments[0], on=datetime.date(2026, 6, 15)
    )
    with pytest.raises(BusinessError, match="déjà remboursée"):
        services.record_repayment(
            actor=world["manager01"], instalment=instalments[0], on=datetime.date(2026, 6, 15)
        )


def test_frequency_limit_uses_previous_grant(world):
    first = ready_request(
        person=world["here"],
        actor=world["as01"],
        code="cpam-aide-precarite",
        facts={"monthly_income": D("800")},
    )
    services.decide(
        actor=world["manager01"], request=first, decision="accorder", amount=D("300"), reason="ok"
    )
    again = make_request(
        person=world["here"],
        actor=world["as01"],
        code="cpam-aide-precarite",
        on=datetime.date(2026, 6, 15),
        facts={"monthly_income": D("800")},
    )
    assert not again.eligible
    assert "Aide identique déjà accordée le 15/06/2026" in str(again.reasons)


def test_forbidden_transition_is_a_business_error(world):
    request = make_request(person=world["here"], actor=world["as01"])
    with pytest.raises(
        BusinessError, match="impossible : la demande est « Reçue, en instruction »"
    ):
        services.decide(
            actor=world["manager01"],
            request=request,
            decision="accorder",
            amount=D("1"),
            reason="x",
        )
    assert AidRequest.objects.get(pk=request.pk).state == wf.RECUE


def test_processing_indicators_from_records(world):
    for day, code, facts in [(1, "cpam-aide-precarite", {"monthly_income": D("800")})]:
        request = make_request(
            person=world["here"],
            actor=world["as01"],
            code=code,
            on=datetime.date(2026, 4, day),
            facts=facts,
        )
        request = services.request_documents(actor=world["as01"], request=request, missing=["RIB"])
        request = services.declare_complete(
            actor=world["as01"], request=request, on=datetime.date(2026, 5, 1)
        )
        request = services.give_opinion(
            actor=world["as01"], request=request, favourable=True, opinion="ok"
        )
        services.decide(
            actor=world["manager01"],
            request=request,
            decision="accorder",
            amount=D("300"),
            reason="ok",
        )
        services.record_payment(
            actor=world["manager01"],
            request=request,
            amount=D("300"),
            paid_on=datetime.date(2026, 6, 15),
            payee="PRESTATAIRE",
            payee_name="EDF",
        )
    ind = queries.processing_indicators(
        world["org"].pk, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    )
    assert ind["decision"] == wf.ProcessingTimes(1, D("45"), D("0.0"), 45, 45)
    assert ind["payment"].median == D("45")
    assert (ind["decided"], ind["needed_completion"], ind["granted"], ind["paid"]) == (1, 1, 1, 1)


def test_overpayment_and_recovery(world):
    request = ready_request(
        person=world["here"],
        actor=world["as01"],
        code="cpam-aide-precarite",
        facts={"monthly_income": D("800")},
    )
    services.decide(
        actor=world["manager01"], request=request, decision="accorder", amount=D("300"), reason="ok"
    )
    services.record_payment(
        actor=world["manager01"],
        request=request,
        amount=D("300"),
        paid_on=datetime.date(2026, 6, 15),
        payee="PERSONNE",
    )
    with pytest.raises(BusinessError) as error:
        services.record_overpayment(
            actor=world["manager01"], request=request, amount=D("300.01"), reason="Doublon"
        )
    assert error.value.errors == {
        "amount": "L'indu ne peut dépasser les sommes versées non encore déclarées indues (300 €)."
    }
    overpayment = services.record_overpayment(
        actor=world["manager01"], request=request, amount=D("200"), reason="Doublon"
    )
    services.record_recovery(actor=world["manager01"], overpayment=overpayment, amount=D("150"))
    with pytest.raises(BusinessError, match="au plus de 50 €"):
        services.record_recovery(actor=world["manager01"], overpayment=overpayment, amount=D("60"))
    figures = queries.overpayment_figures(world["org"].pk, 2026)
    assert figures == {
        "count": 1,
        "total": D("200"),
        "recovered": D("150"),
        "rate_pct": D("75.0"),
    }
