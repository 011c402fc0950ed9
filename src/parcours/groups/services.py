"""Écritures des actions collectives : une transaction et son audit par fonction."""

import datetime

from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.core.models import Site
from parcours.core.nomenclatures import Canal, Fonction, Origine, Programme, TypeCollectif
from parcours.groups.models import (
    Answer,
    GroupAction,
    Invitation,
    Question,
    Questionnaire,
    Registration,
    Response,
    Session,
)
from parcours.rules import collective as rules

TOKEN_SALT = "parcours.groups.lien-personnel"

ACTION_FIELDS = (
    "type",
    "programme",
    "title",
    "public",
    "partners",
    "cofunders",
    "departement_id",
    "partner_facilitators",
    "description",
)


# ---------------------------------------------------------------- actions et séances


def _check_facilitators(organisation_id, facilitators):
    for user in facilitators:
        if user.organisation_id != organisation_id:
            raise BusinessError({"facilitators": "Animateur inconnu dans cet organisme."})


@transaction.atomic
def create_action(*, actor, organisation_id: int, data: dict, facilitators=()) -> GroupAction:
    if data.get("type") not in TypeCollectif.values:
        raise BusinessError({"type": "Type d'action inconnu."})
    if data.get("programme") not in Programme.values:
        raise BusinessError({"programme": "Programme inconnu."})
    _check_facilitators(organisation_id, facilitators)
    action = GroupAction.objects.create(
        organisation_id=organisation_id,
        created_by=actor,
        **{k: v for k, v in data.items() if k in ACTION_FIELDS},
    )
    action.facilitators.set(facilitators)
    audit.record_write(
        actor=actor, obj=action, before=None, person_id=None, summary="Action collective créée"
    )
    return action


@transaction.atomic
def update_action(*, actor, action: GroupAction, data: dict, facilitators=()) -> GroupAction:
    _check_facilitators(action.organisation_id, facilitators)
    before = audit.snapshot(action)
    for key, value in data.items():
        if key in ACTION_FIELDS:
            setattr(action, key, value)
    action.save()
    action.facilitators.set(facilitators)
    audit.record_write(
        actor=actor, obj=action, before=before, person_id=None, summary="Action collective modifiée"
    )
    return action


def _session_errors(action, *, site, partner_place, video, capacity, start_time, end_time):
    errors = {}
    if site is not None and site.organisation_id != action.organisation_id:
        errors["site"] = "Lieu inconnu dans cet organisme."
    if not video and site is None and not partner_place.strip():
        errors["site"] = (
            "Indiquez un lieu d'accueil, le lieu d'un partenaire ou la visioconférence."
        )
    if site is not None and partner_place.strip():
        errors["partner_place"] = "Un seul lieu : le nôtre ou celui d'un partenaire."
    if capacity is None or capacity < 1:
        errors["capacity"] = "Au moins une place."
    if end_time is not None and start_time is not None and end_time <= start_time:
        errors["end_time"] = "L'heure de fin doit suivre l'heure de début."
    return errors


@transaction.atomic
def add_session(
    *,
    actor,
    action: GroupAction,
    date: datetime.date,
    start_time: datetime.time,
    capacity: int,
    end_time: datetime.time | None = None,
    site: Site | None = None,
    partner_place: str = "",
    video: bool = False,
) -> Session:
    errors = _session_errors(
        action,
        site=site,
        partner_place=partner_place,
        video=video,
        capacity=capacity,
        start_time=start_time,
        end_time=end_time,
    )
    if errors:
        raise BusinessError(errors)
    session = Session.objects.create(
        organisation_id=action.organisation_id,
        action=action,
        date=date,
        start_time=start_time,
        end_time=end_time,
        site=site,
        partner_place="" if video else partner_place.strip(),
        video=video,
        capacity=capacity,
    )
    after = {
        k: v.isoformat() if isinstance(v, datetime.time) else v
        for k, v in audit.snapshot(session).items()
    }
    audit.record(
        actor=actor,
        action="CREATE",
        obj=session,
        summary="Séance ajoutée",
        changes={k: {"avant": None, "apres": v} for k, v in after.items()},
    )
    return session


@transaction.atomic
def update_session(
    *,
    actor,
    session: Session,
    date: datetime.date,
    start_time: datetime.time,
    capacity: int,
    end_time: datetime.time | None = None,
    site: Site | None = None,
    partner_place: str = "",
    video: bool = False,
) -> tuple[Session, list[Registration]]:
    """Modifie une séance ; des places en plus font monter la liste d'attente (renvoyée).

    Moins de places que d'inscrits : refusé (personne n'est désinscrit en silence).
    """
    session = _locked_session(session)
    errors = _session_errors(
        session.action,
        site=site,
        partner_place=partner_place,
        video=video,
        capacity=capacity,
        start_time=start_time,
        end_time=end_time,
    )
    taken = _taken(session)
    if capacity is not None and capacity < taken:
        errors["capacity"] = (
            f"{taken} personnes sont déjà inscrites : annulez des inscriptions avant de réduire "
            "le nombre de places."
        )
    if errors:
        raise BusinessError(errors)
    before = {k: str(v) for k, v in audit.snapshot(session).items()}
    session.date, session.start_time, session.end_time = date, start_time, end_time
    session.capacity, session.site, session.video = capacity, site, video
    session.partner_place = "" if video else partner_place.strip()
    session.save()
    after = {k: str(v) for k, v in audit.snapshot(session).items()}
    audit.record(
        actor=actor,
        action="UPDATE",
        obj=session,
        summary="Séance modifiée",
        changes=audit.diff(before, after),
    )
    return session, _promote(actor=actor, session=session)


# ---------------------------------------------------------------- liens personnels


def _signature(value: str) -> str:
    return salted_hmac(TOKEN_SALT, value, algorithm="sha256").hexdigest()[:24]


def make_token(invitation: Invitation) -> str:
    """Jeton court signé (HMAC) : l'invitation et sa date d'émission, à recopier d'un courrier.

    Un lien renouvelé (nouvelle date d'émission) annule l'ancien.
    """
    value = f"{invitation.pk}-{invitation.issued_on.toordinal()}"
    return f"{value}-{_signature(value)}"


def read_token(token: str) -> Invitation | None:
    """L'invitation du lien, ou ``None`` pour un lien falsifié, périmé ou renouvelé."""
    parts = (token or "").strip().lower().split("-")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    pk, ordinal, signature = parts
    if not constant_time_compare(signature, _signature(f"{pk}-{ordinal}")):
        return None
    try:
        issued = datetime.date.fromordinal(int(ordinal))
    except (ValueError, OverflowError):
        return None
    if rules.link_expired(issued, clock.today()):
        return None
    return (
        Invitation.objects.select_related("action", "person", "action__departement")
        .filter(pk=int(pk), issued_on=issued, person__merged_into__isnull=True)
        .first()
    )


def _invitation(*, actor, action, person, source, channel=None) -> tuple[Invitation, bool]:
    if person.organisation_id != action.organisation_id:
        raise BusinessError({"person": "Personne inconnue dans cet organisme."})
    defaults = {
        "organisation_id": action.organisation_id,
        "source": source,
        "issued_on": clock.today(),
        "created_by": actor,
    }
    if channel:
        defaults["channel"] = channel
    invitation, created = Invitation.objects.get_or_create(
        action=action, person=person, defaults=defaults
    )
    if created:
        audit.record_write(
            actor=actor,
            obj=invitation,
            before=None,
            person_id=person.pk,
            summary="Invitation à une action collective",
        )
    return invitation, created


@transaction.atomic
def invite(*, actor, action: GroupAction, people, source=Invitation.Source.LISTE, channel=None):
    """Invite chaque personne une fois ; renvoie (invitations créées, déjà invitées)."""
    created, existing = [], []
    for person in people:
        invitation, new = _invitation(
            actor=actor, action=action, person=person, source=source, channel=channel
        )
        (created if new else existing).append(invitation)
    return created, existing


def is_reachable(person, channel: str) -> bool:
    """Courriel : une adresse ; SMS : un numéro de téléphone mobile."""
    if channel == Canal.EMAIL:
        return bool(person.email)
    return rules.is_mobile(person.phone)


@transaction.atomic
def send_invitations(*, actor, invitations, channel: str, link, sender=None):
    """Envoie l'invitation par courriel ou SMS (expéditeur interchangeable de
    ``core.messaging``, le même que celui des campagnes) à celles des ``invitations`` qui
    n'ont pas encore été envoyées par ce canal ; ``link(invitation)`` donne l'adresse du lien.

    Renvoie ``(envoyées, injoignables)`` ; les personnes sans courriel (sans mobile) ne
    reçoivent rien et sont listées par l'appelant.
    """
    from parcours.core import messaging  # expéditeur partagé avec les campagnes

    if channel not in {Canal.EMAIL, Canal.SMS}:
        raise BusinessError({"channel": "Choisissez le courriel ou le SMS."})
    sender = sender or messaging.get_sender()
    sent, unreachable = [], []
    today = clock.today()
    for invitation in invitations:
        if invitation.channel == channel:
            continue
        person = invitation.person
        if not is_reachable(person, channel):
            unreachable.append(invitation)
            continue
        action = invitation.action
        sessions = [s for s in action.sessions.select_related("site") if s.date >= today]
        dates = "; ".join(f"{s.date:%d/%m/%Y} à {s.start_time:%H:%M}, {s.place}" for s in sessions)
        body = (
            f"Bonjour, le service social vous invite : {action.title}"
            + (f" ({dates})" if dates else "")
            + f". C'est gratuit. Inscrivez-vous avec votre lien personnel : {link(invitation)}"
        )
        sender.send(
            messaging.Message(
                channel,
                person.email if channel == Canal.EMAIL else person.phone,
                f"Invitation : {action.title}",
                body,
                f"I{invitation.pk}",
            )
        )
        before = audit.snapshot(invitation)
        invitation.channel = channel
        invitation.save(update_fields=["channel"])
        audit.record_write(
            actor=actor,
            obj=invitation,
            before=before,
            person_id=person.pk,
            summary=f"Invitation envoyée par {Canal(channel).label.lower()}",
        )
        sent.append(invitation)
    return sent, unreachable


@transaction.atomic
def renew_link(*, actor, invitation: Invitation) -> Invitation:
    before = audit.snapshot(invitation)
    invitation.issued_on = clock.today()
    invitation.save(update_fields=["issued_on"])
    audit.record_write(
        actor=actor,
        obj=invitation,
        before=before,
        person_id=invitation.person_id,
        summary="Lien personnel renouvelé",
    )
    return invitation


@transaction.atomic
def mark_letters_printed(*, actor, invitations) -> None:
    today = clock.today()
    for invitation in invitations:
        if invitation.letter_printed_on is None:
            before = audit.snapshot(invitation)
            invitation.letter_printed_on = today
            invitation.save(update_fields=["letter_printed_on"])
            audit.record_write(
                actor=actor,
                obj=invitation,
                before=before,
                person_id=invitation.person_id,
                summary="Courrier d'invitation édité",
            )


# ---------------------------------------------------------------- inscriptions


def _locked_session(session: Session) -> Session:
    """Verrouille la séance : deux inscriptions simultanées comptent les places tour à tour."""
    return Session.objects.select_for_update().get(pk=session.pk)


def _taken(session: Session) -> int:
    return Registration.objects.filter(session=session, status=Registration.Status.INSCRIT).count()


@transaction.atomic
def register(
    *,
    actor,
    session: Session,
    person,
    relation=Registration.Relation.PERSONNE,
    channel=Registration.Channel.AGENT,
) -> tuple[Registration, bool]:
    """Inscrit la personne, ou la met en liste d'attente si la séance est complète.

    Renvoie ``(inscription, créée)`` : une personne déjà inscrite (ou en attente) retrouve son
    inscription, sans doublon ; une inscription annulée est reprise.
    """
    session = _locked_session(session)
    action = session.action
    if session.date < clock.today():
        raise BusinessError({"session": "Cette séance a déjà eu lieu."})
    _invitation(
        actor=actor,
        action=action,
        person=person,
        source=Invitation.Source.INSCRIPTION if actor else Invitation.Source.LISTE,
    )
    active = Registration.objects.filter(
        session__action=action,
        person=person,
        status__in=[rules.REGISTERED, rules.WAITING],
        session__date__gte=clock.today(),
    ).exclude(session=session)
    if action.type == TypeCollectif.INFO_COLLECTIVE and active.exists():
        # Une réunion d'information : une seule séance à la fois ; changer de date annule l'autre.
        for other in active:
            _cancel(actor=actor, registration=other)
    status = rules.status_for_new_registration(session.capacity, _taken(session))
    existing = Registration.objects.filter(session=session, person=person).first()
    if existing is not None:
        if existing.status != rules.CANCELLED:
            return existing, False
        before = audit.snapshot(existing)
        existing.status = rules.next_status(
            existing.status, "reinscrire" if status == rules.REGISTERED else "mettre_en_attente"
        )
        existing.channel, existing.relation = channel, relation
        existing.registered_at = clock.now()
        existing.save()
        audit.record_write(
            actor=actor,
            obj=existing,
            before=before,
            person_id=person.pk,
            summary="Réinscription à une séance",
        )
        _accept_offers(actor=actor, action=action, person=person)
        return existing, True
    registration = Registration.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        person=person,
        status=status,
        relation=relation,
        channel=channel,
        registered_at=clock.now(),
        created_by=actor,
    )
    audit.record_write(
        actor=actor,
        obj=registration,
        before=None,
        person_id=person.pk,
        summary="Inscription à une séance"
        if status == rules.REGISTERED
        else "Mise en liste d'attente",
    )
    _accept_offers(actor=actor, action=action, person=person)
    return registration, True


def _accept_offers(*, actor, action, person) -> None:
    """Une offre de service (module Détection) qui proposait cette réunion devient « acceptée »
    dès l'inscription, par le lien personnel ou par un agent ; appel explicite, pas de signal."""
    from parcours.outreach import services as outreach_services  # import croisé

    outreach_services.accept_offers_on_registration(actor=actor, action=action, person=person)


def _cancel(*, actor, registration: Registration) -> list[Registration]:
    session = _locked_session(registration.session)
    registration.refresh_from_db()
    before = audit.snapshot(registration)
    registration.status = rules.next_status(registration.status, "annuler")
    registration.save(update_fields=["status"])
    audit.record_write(
        actor=actor,
        obj=registration,
        before=before,
        person_id=registration.person_id,
        summary="Inscription annulée",
    )
    return _promote(actor=actor, session=session)


def _promote(*, actor, session: Session) -> list[Registration]:
    waiting = list(
        Registration.objects.filter(session=session, status=rules.WAITING).order_by(
            "registered_at", "id"
        )
    )
    count = rules.places_to_promote(session.capacity, _taken(session), len(waiting))
    promoted = waiting[:count]
    for registration in promoted:
        before = audit.snapshot(registration)
        registration.status = rules.next_status(registration.status, "promouvoir")
        registration.save(update_fields=["status"])
        audit.record_write(
            actor=actor,
            obj=registration,
            before=before,
            person_id=registration.person_id,
            summary="Place libérée : inscription confirmée",
        )
    return promoted


@transaction.atomic
def cancel_registration(*, actor, registration: Registration) -> list[Registration]:
    """Annule ; la place libérée revient au premier de la liste d'attente (renvoyé)."""
    if registration.status == rules.CANCELLED:
        raise BusinessError("Cette inscription est déjà annulée.")
    return _cancel(actor=actor, registration=registration)


@transaction.atomic
def mark_attendance(*, actor, session: Session, presence: dict[int, bool | None]) -> int:
    """Présences d'une séance en une fois : ``{inscription: vrai, faux ou None}``.

    Seules les inscriptions non annulées de la séance ; pas avant le jour de la séance.
    Renvoie le nombre d'inscriptions modifiées.
    """
    if session.date > clock.today():
        raise BusinessError("Les présences se marquent le jour de la séance ou après.")
    registrations = {
        r.pk: r
        for r in Registration.objects.select_for_update()
        .filter(session=session)
        .exclude(status=rules.CANCELLED)
    }
    unknown = set(presence) - set(registrations)
    if unknown:
        raise BusinessError("Inscription inconnue pour cette séance.")
    changed = 0
    for pk, present in presence.items():
        registration = registrations[pk]
        if registration.present is present:
            continue
        before = audit.snapshot(registration)
        registration.present = present
        registration.save(update_fields=["present"])
        audit.record_write(
            actor=actor,
            obj=registration,
            before=before,
            person_id=registration.person_id,
            summary="Présence à une séance",
        )
        changed += 1
    return changed


@transaction.atomic
def open_case_for(*, actor, registration: Registration, referent=None):
    """Un participant devient un accompagnement (origine : information collective)."""
    from parcours.cases import services as case_services
    from parcours.cases.models import Case

    action = registration.session.action
    existing = Case.objects.filter(
        person=registration.person, programme=action.programme, state=Case.State.OUVERT
    ).first()
    if existing is not None:
        return existing, False
    case = case_services.open_case(
        actor=actor,
        person=registration.person,
        programme=action.programme,
        origin=Origine.INFORMATION_COLLECTIVE,
        referent=referent or (actor if actor.function == Fonction.AS else None),
        opened_on=clock.today(),
    )
    return case, True


# ---------------------------------------------------------------- questionnaires


@transaction.atomic
def create_questionnaire(
    *,
    actor,
    organisation_id: int,
    title: str,
    moment: str,
    months_after: int = 0,
    action_type: str = "",
    programme: str = "",
) -> Questionnaire:
    errors = {}
    if not action_type and not programme:
        errors["action_type"] = "Rattachez le questionnaire à un type d'action ou à un programme."
    if moment == rules.LATER and months_after < 1:
        errors["months_after"] = "Un questionnaire d'impact se remplit au moins un mois après."
    if errors:
        raise BusinessError(errors)
    questionnaire = Questionnaire.objects.create(
        organisation_id=organisation_id,
        title=title,
        moment=moment,
        months_after=months_after if moment == rules.LATER else 0,
        action_type=action_type,
        programme=programme,
    )
    audit.record_write(
        actor=actor, obj=questionnaire, before=None, person_id=None, summary="Questionnaire créé"
    )
    return questionnaire


@transaction.atomic
def add_question(
    *,
    actor,
    questionnaire: Questionnaire,
    text: str,
    answer_type: str,
    scale_max: int = 5,
    choices=(),
    positive_choices=(),
    required: bool = False,
) -> Question:
    choices = [c.strip() for c in choices if c.strip()]
    if answer_type == rules.CHOICE and len(choices) < 2:
        raise BusinessError({"choices": "Proposez au moins deux réponses, une par ligne."})
    if answer_type == rules.SCALE and not 2 <= scale_max <= 10:
        raise BusinessError({"scale_max": "Une note maximale entre 2 et 10."})
    positive = sorted({int(p) for p in positive_choices if 0 <= int(p) < len(choices)})
    position = questionnaire.questions.count() + 1
    question = Question.objects.create(
        questionnaire=questionnaire,
        position=position,
        text=text,
        answer_type=answer_type,
        scale_max=scale_max if answer_type == rules.SCALE else 5,
        choices=choices if answer_type == rules.CHOICE else [],
        positive_choices=positive if answer_type == rules.CHOICE else [],
        required=required,
    )
    audit.record_write(
        actor=actor, obj=question, before=None, person_id=None, summary="Question ajoutée"
    )
    return question


def applicable_questionnaires(action: GroupAction):
    """Les questionnaires en service rattachés au type ou au programme de l'action."""
    from django.db.models import Q

    return Questionnaire.objects.filter(
        organisation_id=action.organisation_id,
        active=True,
    ).filter(
        (Q(action_type="") | Q(action_type=action.type))
        & (Q(programme="") | Q(programme=action.programme))
    )


def questionnaire_opens_on(questionnaire: Questionnaire, invitation: Invitation):
    """Date d'ouverture du questionnaire pour cette personne, ou ``None`` (pas concernée)."""
    from django.db.models import Max, Min

    bounds = invitation.action.sessions.aggregate(first=Min("date"), last=Max("date"))
    if bounds["first"] is None:
        return None
    attended = Registration.objects.filter(
        session__action=invitation.action, person=invitation.person, present=True
    ).aggregate(last=Max("session__date"))["last"]
    if (
        questionnaire.moment == rules.START
        and not Registration.objects.filter(
            session__action=invitation.action, person=invitation.person
        )
        .exclude(status=rules.CANCELLED)
        .exists()
    ):
        return None
    return rules.questionnaire_opens_on(
        questionnaire.moment,
        months=questionnaire.months_after,
        first_session=bounds["first"],
        last_session=bounds["last"],
        last_attended=attended,
    )


@transaction.atomic
def submit_response(
    *, actor, questionnaire: Questionnaire, invitation: Invitation, raw: dict, source: str
) -> Response:
    """Enregistre un questionnaire rempli ; chaque réponse est validée selon son type.

    ``raw`` : ``{"q<id>": texte saisi}``. Erreurs par question (clé ``q<id>``) ; rien n'est
    enregistré si une réponse est refusée. Une personne répond une fois par questionnaire.
    """
    if questionnaire.organisation_id != invitation.organisation_id:
        raise BusinessError("Questionnaire inconnu.")
    if Response.objects.filter(questionnaire=questionnaire, invitation=invitation).exists():
        raise BusinessError("Ce questionnaire a déjà été rempli pour cette personne.")
    opens = questionnaire_opens_on(questionnaire, invitation)
    if opens is None or opens > clock.today():
        raise BusinessError("Ce questionnaire n'est pas encore ouvert pour cette personne.")
    values, errors = [], {}
    for question in questionnaire.questions.all():
        key = f"q{question.pk}"
        try:
            value, text = rules.validate_answer(
                question.answer_type,
                raw.get(key),
                required=question.required,
                scale_max=question.scale_max,
                choices=question.choices,
            )
        except rules.InvalidAnswer as error:
            errors[key] = str(error)
            continue
        if value is not None or text:
            values.append((question, value, text))
    if errors:
        raise BusinessError(errors)
    if not values:
        raise BusinessError("Répondez au moins à une question.")
    response = Response.objects.create(
        organisation_id=invitation.organisation_id,
        questionnaire=questionnaire,
        invitation=invitation,
        source=source,
        submitted_at=clock.now(),
        entered_by=actor,
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=q, value=v, text=t) for q, v, t in values
    )
    audit.record(
        actor=actor,
        action="CREATE",
        obj=response,
        person_id=invitation.person_id,
        summary="Questionnaire rempli"
        + (" (saisi d'après le papier)" if source == Response.Source.PAPIER else ""),
        organisation_id=invitation.organisation_id,
    )
    return response


DEFAULT_QUESTIONNAIRES = [
    # (intitulé, moment, mois, type, programme, questions)
    (
        "Satisfaction — réunion d'information",
        rules.AT_END,
        0,
        TypeCollectif.INFO_COLLECTIVE,
        "",
        [
            ("Avez-vous apprécié d'être invité·e à cette réunion ?", rules.YES_NO, {}),
            ("Les informations données étaient-elles claires ?", rules.SCALE, {}),
            ("Connaissez-vous mieux vos droits et vos devoirs ?", rules.YES_NO, {}),
            ("Savez-vous mieux à qui vous adresser ?", rules.YES_NO, {}),
            ("Vos remarques", rules.TEXT, {}),
        ],
    ),
    (
        "Impact à 3 mois — réunion d'information",
        rules.LATER,
        3,
        TypeCollectif.INFO_COLLECTIVE,
        "",
        [
            ("Avez-vous engagé des démarches depuis la réunion ?", rules.YES_NO, {}),
            (
                "Dans quel domaine surtout ?",
                rules.CHOICE,
                {
                    "choices": [
                        "Droits",
                        "Santé",
                        "Travail",
                        "Budget",
                        "Complémentaire santé",
                        "Aucune",
                    ],
                    "positive": [0, 1, 2, 3, 4],
                },
            ),
            ("Connaissez-vous mieux les aides possibles ?", rules.YES_NO, {}),
        ],
    ),
    (
        "Bien vieillir — début de l'atelier",
        rules.START,
        0,
        TypeCollectif.ATELIER,
        Programme.BIEN_VIEILLIR,
        [("Comment jugez-vous votre forme aujourd'hui ?", rules.SCALE, {})],
    ),
    (
        "Bien vieillir — fin de l'atelier",
        rules.END,
        0,
        TypeCollectif.ATELIER,
        Programme.BIEN_VIEILLIR,
        [
            ("Comment jugez-vous votre forme aujourd'hui ?", rules.SCALE, {}),
            ("L'atelier vous a-t-il été utile ?", rules.YES_NO, {}),
        ],
    ),
    (
        "Bien vieillir — 6 mois après",
        rules.LATER,
        6,
        TypeCollectif.ATELIER,
        Programme.BIEN_VIEILLIR,
        [
            ("Comment jugez-vous votre forme aujourd'hui ?", rules.SCALE, {}),
            ("Avez-vous gardé les habitudes prises à l'atelier ?", rules.YES_NO, {}),
        ],
    ),
]


@transaction.atomic
def ensure_default_questionnaires(*, actor, organisation_id: int) -> list[Questionnaire]:
    """Crée les questionnaires types de l'organisme s'il n'en a aucun."""
    if Questionnaire.objects.filter(organisation_id=organisation_id).exists():
        return []
    created = []
    for title, moment, months, action_type, programme, questions in DEFAULT_QUESTIONNAIRES:
        questionnaire = create_questionnaire(
            actor=actor,
            organisation_id=organisation_id,
            title=title,
            moment=moment,
            months_after=months,
            action_type=action_type,
            programme=programme,
        )
        for text, answer_type, extra in questions:
            add_question(
                actor=actor,
                questionnaire=questionnaire,
                text=text,
                answer_type=answer_type,
                choices=extra.get("choices", ()),
                positive_choices=extra.get("positive", ()),
            )
        created.append(questionnaire)
    return created
