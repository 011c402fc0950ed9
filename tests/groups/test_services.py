import datetime

import pytest

from parcours.cases.models import Case
from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.groups import services
from parcours.groups.models import Invitation, Registration, Response
from parcours.rules import collective as rules
from tests.factories import SiteFactory, UserFactory, make_person
from tests.groups.factories import make_action, make_session

pytestmark = pytest.mark.django_db


def test_create_action_and_session_are_audited(org, as01, action):
    assert action.departement_id == "01"
    assert list(action.facilitators.all()) == [as01]
    site = SiteFactory(organisation=org)
    session = make_session(action=action, actor=as01, site=site, capacity=12)
    assert session.place == site.name
    assert session.organisation_id == org.pk
    kinds = set(AuditEntry.objects.values_list("object_type", flat=True))
    assert {"groupaction", "session"} <= kinds


def test_session_needs_a_place_and_capacity(action, as01, other_org):
    with pytest.raises(BusinessError) as error:
        services.add_session(
            actor=as01,
            action=action,
            date=datetime.date(2030, 1, 1),
            start_time=datetime.time(9),
            end_time=datetime.time(8),
            capacity=0,
        )
    assert error.value.errors == {
        "site": "Indiquez un lieu d'accueil, le lieu d'un partenaire ou la visioconférence.",
        "capacity": "Au moins une place.",
        "end_time": "L'heure de fin doit suivre l'heure de début.",
    }
    foreign_site = SiteFactory(organisation=other_org)
    with pytest.raises(BusinessError) as error:
        services.add_session(
            actor=as01,
            action=action,
            date=datetime.date(2030, 1, 1),
            start_time=datetime.time(9),
            capacity=5,
            site=foreign_site,
        )
    assert error.value.errors == {"site": "Lieu inconnu dans cet organisme."}
    video = services.add_session(
        actor=as01,
        action=action,
        date=datetime.date(2030, 1, 1),
        start_time=datetime.time(9),
        capacity=5,
        video=True,
        partner_place="ignoré",
    )
    assert video.place == "En visioconférence" and video.partner_place == ""


def test_registration_past_capacity_goes_to_waiting_list(frozen, session, people, as01):
    statuses = []
    for person in people:
        registration, created = services.register(actor=as01, session=session, person=person)
        assert created
        statuses.append(registration.status)
    assert statuses == [rules.REGISTERED, rules.REGISTERED, rules.WAITING, rules.WAITING]
    assert Registration.objects.filter(session=session, status=rules.REGISTERED).count() == 2
    # La même personne une seconde fois : son inscription existante, sans doublon.
    again, created = services.register(actor=as01, session=session, person=people[0])
    assert not created and again.status == rules.REGISTERED
    assert Registration.objects.filter(session=session).count() == 4
    # Une invitation (lien personnel) par personne inscrite.
    assert Invitation.objects.filter(action=session.action).count() == 4


def test_cancel_promotes_first_waiting(frozen, session, people, as01):
    regs = [services.register(actor=as01, session=session, person=p)[0] for p in people]
    promoted = services.cancel_registration(actor=as01, registration=regs[0])
    assert [r.pk for r in promoted] == [regs[2].pk]
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses == {
        regs[0].pk: rules.CANCELLED,
        regs[1].pk: rules.REGISTERED,
        regs[2].pk: rules.REGISTERED,
        regs[3].pk: rules.WAITING,
    }
    with pytest.raises(BusinessError):
        services.cancel_registration(
            actor=as01, registration=Registration.objects.get(pk=regs[0].pk)
        )
    # Revenir après annulation : la séance est complète, donc liste d'attente.
    back, created = services.register(actor=as01, session=session, person=people[0])
    assert created and back.pk == regs[0].pk and back.status == rules.WAITING


def test_info_meeting_one_session_at_a_time(frozen, action, session, people, as01):
    other = make_session(action=action, actor=as01, date=datetime.date(2026, 4, 7), capacity=5)
    first, _ = services.register(actor=as01, session=session, person=people[0])
    second, _ = services.register(actor=as01, session=other, person=people[0])
    first.refresh_from_db()
    assert first.status == rules.CANCELLED and second.status == rules.REGISTERED


def test_changing_date_keeps_past_attendance(action, session, people, as01):
    from tests.groups.factories import make_registration

    attended = make_registration(session=session, person=people[0], actor=as01, present=True)
    later = make_session(action=action, actor=as01, date=datetime.date(2026, 6, 2), capacity=5)
    with clock.frozen(datetime.datetime(2026, 4, 1, 9, tzinfo=datetime.UTC)):
        services.register(actor=as01, session=later, person=people[0])
    attended.refresh_from_db()
    assert (attended.status, attended.present) == (rules.REGISTERED, True)


def test_no_registration_to_a_past_session(session, people, as01):
    with (
        clock.frozen(datetime.datetime(2026, 3, 11, 9, tzinfo=datetime.UTC)),
        pytest.raises(BusinessError) as error,
    ):
        services.register(actor=as01, session=session, person=people[0])
    assert error.value.errors == {"session": "Cette séance a déjà eu lieu."}


def test_person_of_another_organisation_refused(frozen, session, other_org):
    foreign = make_person(org=other_org)
    with pytest.raises(BusinessError):
        services.register(actor=None, session=session, person=foreign)
    assert not Registration.objects.exists()


def test_mark_attendance_after_the_session_only(session, people, as01, frozen):
    regs = [services.register(actor=as01, session=session, person=p)[0] for p in people[:3]]
    with pytest.raises(BusinessError):
        services.mark_attendance(actor=as01, session=session, presence={regs[0].pk: True})
    with clock.frozen(datetime.datetime(2026, 3, 10, 18, tzinfo=datetime.UTC)):
        changed = services.mark_attendance(
            actor=as01,
            session=session,
            presence={regs[0].pk: True, regs[1].pk: False, regs[2].pk: True},
        )
        assert changed == 3
        assert (
            services.mark_attendance(actor=as01, session=session, presence={regs[0].pk: True}) == 0
        )
    assert dict(Registration.objects.values_list("pk", "present")) == {
        regs[0].pk: True,
        regs[1].pk: False,
        regs[2].pk: True,  # en liste d'attente mais venue : présente
    }
    assert AuditEntry.objects.filter(summary="Présence à une séance").count() == 3


def test_attendance_refuses_foreign_registration(session, action, people, as01, frozen):
    other = make_session(action=action, actor=as01, date=datetime.date(2026, 3, 10), capacity=5)
    reg, _ = services.register(actor=as01, session=other, person=people[0])
    with (
        clock.frozen(datetime.datetime(2026, 3, 10, 18, tzinfo=datetime.UTC)),
        pytest.raises(BusinessError),
    ):
        services.mark_attendance(actor=as01, session=session, presence={reg.pk: True})


def test_participant_becomes_a_case_in_one_click(session, people, as01, frozen):
    reg, _ = services.register(actor=as01, session=session, person=people[0])
    with clock.frozen(datetime.datetime(2026, 3, 10, 18, tzinfo=datetime.UTC)):
        case, created = services.open_case_for(actor=as01, registration=reg)
        again, created_again = services.open_case_for(actor=as01, registration=reg)
    assert created and not created_again and again.pk == case.pk
    assert (case.origin, case.programme, case.referent, case.opened_on) == (
        "INFORMATION_COLLECTIVE",
        "PDP",
        as01,
        datetime.date(2026, 3, 10),
    )
    assert Case.objects.count() == 1


def test_manager_opening_a_case_leaves_referent_empty(org, session, people, frozen):
    manager = UserFactory(organisation=org, manager=True, departements=["01"])
    reg, _ = services.register(actor=manager, session=session, person=people[0])
    case, _ = services.open_case_for(actor=manager, registration=reg)
    assert case.referent is None


def test_token_round_trip_expiry_and_forgery(frozen, action, people, as01):
    (invitation,), _ = services.invite(actor=as01, action=action, people=[people[0]])
    token = services.make_token(invitation)
    assert services.read_token(token) == invitation
    assert services.read_token(token[:-2] + "xx") is None
    assert services.read_token("n'importe-quoi") is None
    pk, ordinal, signature = token.split("-")
    assert len(token) < 45  # recopiable d'un courrier
    assert services.read_token(f"{int(pk) + 1}-{ordinal}-{signature}") is None
    assert services.read_token(f"{pk}-{int(ordinal) + 1}-{signature}") is None
    assert services.read_token(f"{pk}-99999999999-{signature}") is None
    assert services.read_token(token.upper()) == invitation
    assert services.read_token("") is None
    late = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC) + datetime.timedelta(days=401)
    with clock.frozen(late):
        assert services.read_token(token) is None
    # Un lien renouvelé annule l'ancien.
    with clock.frozen(datetime.datetime(2026, 3, 5, 10, tzinfo=datetime.UTC)):
        services.renew_link(actor=as01, invitation=invitation)
        assert services.read_token(token) is None
        assert services.read_token(services.make_token(invitation)) == invitation


def test_invite_twice_and_letters(frozen, action, people, as01):
    created, existing = services.invite(actor=as01, action=action, people=people[:2])
    assert (len(created), len(existing)) == (2, 0)
    created, existing = services.invite(actor=as01, action=action, people=people[:3])
    assert (len(created), len(existing)) == (1, 2)
    services.mark_letters_printed(actor=as01, invitations=list(Invitation.objects.all()))
    assert set(Invitation.objects.values_list("letter_printed_on", flat=True)) == {frozen}


def _questionnaire(org, as01, moment=rules.AT_END, months=0):
    q = services.create_questionnaire(
        actor=as01,
        organisation_id=org.pk,
        title="Satisfaction",
        moment=moment,
        months_after=months,
        action_type="INFO_COLLECTIVE",
    )
    scale = services.add_question(actor=as01, questionnaire=q, text="Clarté", answer_type="ECHELLE")
    yes = services.add_question(
        actor=as01, questionnaire=q, text="Utile ?", answer_type="OUI_NON", required=True
    )
    choice = services.add_question(
        actor=as01,
        questionnaire=q,
        text="Domaine",
        answer_type="CHOIX",
        choices=["Droits", "Santé", "Aucun"],
        positive_choices=[0, 1],
    )
    text = services.add_question(actor=as01, questionnaire=q, text="Remarques", answer_type="TEXTE")
    return q, scale, yes, choice, text


def test_questionnaire_needs_attachment_and_choices(org, as01):
    with pytest.raises(BusinessError) as error:
        services.create_questionnaire(
            actor=as01, organisation_id=org.pk, title="X", moment=rules.LATER, months_after=0
        )
    assert set(error.value.errors) == {"action_type", "months_after"}
    q, *_ = _questionnaire(org, as01)
    with pytest.raises(BusinessError) as error:
        services.add_question(
            actor=as01, questionnaire=q, text="?", answer_type="CHOIX", choices=["seul"]
        )
    assert error.value.errors == {"choices": "Proposez au moins deux réponses, une par ligne."}


def test_submit_response_validated_per_type(org, session, people, as01):
    q, scale, yes, choice, text = _questionnaire(org, as01)
    from tests.groups.factories import make_registration

    reg = make_registration(session=session, person=people[0], actor=as01, present=True)
    invitation = Invitation.objects.get(person=reg.person)
    with clock.frozen(datetime.datetime(2026, 3, 10, 18, tzinfo=datetime.UTC)):
        with pytest.raises(BusinessError) as error:
            services.submit_response(
                actor=None,
                questionnaire=q,
                invitation=invitation,
                raw={f"q{scale.pk}": "7", f"q{choice.pk}": "5"},
                source=Response.Source.LIEN,
            )
        assert error.value.errors == {
            f"q{scale.pk}": "Choisissez une note entre 1 et 5.",
            f"q{yes.pk}": "Veuillez répondre à cette question.",
            f"q{choice.pk}": "Choisissez l'une des réponses proposées.",
        }
        assert not Response.objects.exists()
        response = services.submit_response(
            actor=None,
            questionnaire=q,
            invitation=invitation,
            raw={f"q{scale.pk}": "4", f"q{yes.pk}": "1", f"q{text.pk}": " Bien "},
            source=Response.Source.LIEN,
        )
        assert sorted(response.answers.values_list("question__text", "value", "text")) == [
            ("Clarté", 4, ""),
            ("Remarques", None, "Bien"),
            ("Utile ?", 1, ""),
        ]
        with pytest.raises(BusinessError) as error:
            services.submit_response(
                actor=as01,
                questionnaire=q,
                invitation=invitation,
                raw={f"q{yes.pk}": "1"},
                source=Response.Source.PAPIER,
            )
        assert "déjà été rempli" in str(error.value)


def test_questionnaire_not_open_for_absent_or_too_early(org, session, people, as01):
    q, scale, yes, *_ = _questionnaire(org, as01)
    impact, *_ = _questionnaire(org, as01, moment=rules.LATER, months=3)
    from tests.groups.factories import make_registration

    absent = make_registration(session=session, person=people[0], actor=as01, present=False)
    present = make_registration(session=session, person=people[1], actor=as01, present=True)
    inv_absent = Invitation.objects.get(person=absent.person)
    inv_present = Invitation.objects.get(person=present.person)
    with clock.frozen(datetime.datetime(2026, 6, 9, 18, tzinfo=datetime.UTC)):
        for questionnaire, invitation in ((q, inv_absent), (impact, inv_present)):
            with pytest.raises(BusinessError) as error:
                services.submit_response(
                    actor=None,
                    questionnaire=questionnaire,
                    invitation=invitation,
                    raw={f"q{yes.pk}": "1"},
                    source=Response.Source.LIEN,
                )
            assert "pas encore ouvert" in str(error.value)
    assert services.questionnaire_opens_on(impact, inv_present) == datetime.date(2026, 6, 10)


def test_default_questionnaires_created_once(org, as01):
    created = services.ensure_default_questionnaires(actor=as01, organisation_id=org.pk)
    assert [q.title for q in created][:2] == [
        "Satisfaction — réunion d'information",
        "Impact à 3 mois — réunion d'information",
    ]
    assert [(q.moment, q.months_after) for q in created[2:]] == [
        ("DEBUT", 0),
        ("FIN", 0),
        ("DIFFERE", 6),
    ]
    assert services.ensure_default_questionnaires(actor=as01, organisation_id=org.pk) == []


def test_applicable_questionnaires_by_type_and_programme(org, as01):
    services.ensure_default_questionnaires(actor=as01, organisation_id=org.pk)
    workshop = make_action(org=org, actor=as01, type="ATELIER", programme="BIEN_VIEILLIR")
    other_workshop = make_action(org=org, actor=as01, type="ATELIER", programme="AUTRE")
    info = make_action(org=org, actor=as01)
    assert len(services.applicable_questionnaires(workshop)) == 3
    assert len(services.applicable_questionnaires(other_workshop)) == 0
    assert [q.months_after for q in services.applicable_questionnaires(info)] == [0, 3]
