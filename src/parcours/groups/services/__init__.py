"""Écritures des actions collectives : une transaction et son audit par fonction.

Le paquet suit les parties du domaine ; les appelants importent ``parcours.groups.services`` :

- ``actions`` — actions et séances ;
- ``links`` — invitations et lien personnel (jeton, envois, courriers) ;
- ``registrations`` — inscriptions, liste d'attente, présences, crochets d'inscription ;
- ``questionnaires`` — questionnaires, questions, réponses.
"""

from parcours.groups.services.actions import (
    ACTION_FIELDS,
    add_session,
    create_action,
    update_action,
    update_session,
)
from parcours.groups.services.links import (
    TOKEN_SALT,
    invite,
    is_reachable,
    make_token,
    mark_letters_printed,
    read_token,
    renew_link,
    send_invitations,
)
from parcours.groups.services.questionnaires import (
    DEFAULT_QUESTIONNAIRES,
    add_question,
    applicable_questionnaires,
    create_questionnaire,
    ensure_default_questionnaires,
    questionnaire_opens_on,
    submit_response,
)
from parcours.groups.services.registrations import (
    REGISTRATION_HOOKS,
    add_registration_hook,
    cancel_registration,
    mark_attendance,
    open_case_for,
    register,
)

__all__ = [
    "ACTION_FIELDS",
    "DEFAULT_QUESTIONNAIRES",
    "REGISTRATION_HOOKS",
    "TOKEN_SALT",
    "add_question",
    "add_registration_hook",
    "add_session",
    "applicable_questionnaires",
    "cancel_registration",
    "create_action",
    "create_questionnaire",
    "ensure_default_questionnaires",
    "invite",
    "is_reachable",
    "make_token",
    "mark_attendance",
    "mark_letters_printed",
    "open_case_for",
    "questionnaire_opens_on",
    "read_token",
    "register",
    "renew_link",
    "send_invitations",
    "submit_response",
    "update_action",
    "update_session",
]
