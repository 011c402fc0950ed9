"""Détection et premiers contacts : toutes les écritures, avec leur audit.

Un module par sous-domaine ; les noms publics sont repris ici pour que
``from parcours.outreach import services; services.record_referral(...)`` reste l'usage :

- ``appointments`` : demandes de rendez-vous, rendez-vous, premier créneau libre (verrou) ;
- ``targeting`` : règle de ciblage, import d'un extrait, ciblages lancés depuis le web ;
- ``referrals`` : signalements ;
- ``front_line`` : contacts d'accueil ;
- ``campaigns`` : campagnes et offres de service ;
- ``agenda`` : plages de rendez-vous, rappels.

Courriels et SMS partent après validation de la transaction (``core.messaging.send_after_commit``).
"""

from parcours.outreach.services.agenda import add_permanence, send_reminders
from parcours.outreach.services.appointments import (
    SLOT_TAKEN,
    appointment_took_place,
    book_appointment,
    book_first_slot,
    record_request,
    set_appointment_status,
)
from parcours.outreach.services.campaigns import (
    accept_offers_on_registration,
    campaign_invitations,
    create_campaign,
    finish_letter_batch,
    prepare_campaign_letters,
    remind_campaign,
    remind_offer,
    set_offer_status,
    start_letter_batch,
)
from parcours.outreach.services.front_line import record_front_line_contact
from parcours.outreach.services.referrals import (
    add_referral_status_hook,
    assign_referral,
    record_answer_to_emitter,
    record_referral,
    send_answer_email,
    set_referral_status,
)
from parcours.outreach.services.targeting import (
    AlreadyImported,
    fail_run,
    previous_import,
    run_events_extract,
    run_sick_leave_extract,
    run_targeting_file,
    start_targeting_run,
    store_upload,
    targeting_rule,
    update_targeting_rule,
)

__all__ = [
    "SLOT_TAKEN",
    "AlreadyImported",
    "accept_offers_on_registration",
    "add_referral_status_hook",
    "add_permanence",
    "appointment_took_place",
    "assign_referral",
    "book_appointment",
    "book_first_slot",
    "campaign_invitations",
    "create_campaign",
    "finish_letter_batch",
    "prepare_campaign_letters",
    "start_letter_batch",
    "fail_run",
    "previous_import",
    "record_answer_to_emitter",
    "record_front_line_contact",
    "record_referral",
    "record_request",
    "remind_campaign",
    "remind_offer",
    "run_events_extract",
    "run_sick_leave_extract",
    "run_targeting_file",
    "send_answer_email",
    "send_reminders",
    "set_appointment_status",
    "set_offer_status",
    "set_referral_status",
    "start_targeting_run",
    "store_upload",
    "targeting_rule",
    "update_targeting_rule",
]
