"""Écritures des aides : une transaction et son entrée d'audit par fonction.

Un module par sous-domaine ; ce paquet réexporte leurs noms publics."""

from parcours.aid.services.catalogue import (
    aid_in_force,
    create_regulation,
    install_catalogue,
    new_regulation_version,
    save_aid,
)
from parcours.aid.services.commission import (
    build_agenda,
    close_session,
    create_session,
    send_to_commission,
)
from parcours.aid.services.evaluations import (
    handover_recipient,
    record_evaluation,
    record_transmission,
)
from parcours.aid.services.payments import (
    record_overpayment,
    record_payment,
    record_recovery,
    record_repayment,
)
from parcours.aid.services.requests import (
    FACT_BOOLS,
    FACT_DECIMALS,
    FACT_INTS,
    _facts_json,
    assess,
    budget_line_for,
    budget_warning,
    committed_on_line,
    create_request,
    decide,
    declare_complete,
    give_opinion,
    last_grant_on,
    mark_notified,
    request_documents,
    situation_from,
    with_latest_gir,
)

__all__ = [
    "record_evaluation",
    "handover_recipient",
    "record_transmission",
    "create_regulation",
    "new_regulation_version",
    "save_aid",
    "aid_in_force",
    "install_catalogue",
    "FACT_DECIMALS",
    "FACT_INTS",
    "FACT_BOOLS",
    "situation_from",
    "_facts_json",
    "last_grant_on",
    "with_latest_gir",
    "assess",
    "create_request",
    "request_documents",
    "declare_complete",
    "give_opinion",
    "budget_line_for",
    "committed_on_line",
    "budget_warning",
    "decide",
    "mark_notified",
    "create_session",
    "build_agenda",
    "send_to_commission",
    "close_session",
    "record_payment",
    "record_repayment",
    "record_overpayment",
    "record_recovery",
]
