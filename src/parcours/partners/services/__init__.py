"""Écritures des partenaires : une transaction et son audit par fonction.

Le paquet suit les parties du domaine ; les appelants importent ``parcours.partners.services`` :

- ``directory`` — l'annuaire : partenaires, contacts, conventions ; vérification et fusion
  des partenaires repris des textes libres ;
- ``subsidies`` — les subventions : appels à projets, candidatures, années accordées,
  versements, bilans annuels, export de la liste d'une année.
"""

from parcours.partners.services.directory import (
    CONTACT_FIELDS,
    CONVENTION_FIELDS,
    PARTNER_FIELDS,
    PARTNER_FOREIGN_KEYS,
    PARTNER_MANY_TO_MANY,
    confirm_partner,
    create_contact,
    create_convention,
    create_partner,
    merge_partners,
    register_partner_reference,
    update_contact,
    update_convention,
    update_partner,
)
from parcours.partners.services.subsidies import (
    change_application_status,
    create_application,
    create_call,
    grant_year,
    granted_total,
    paid_total,
    record_grants_export,
    record_payment,
    record_report,
    update_call,
)

__all__ = [
    "CONTACT_FIELDS",
    "CONVENTION_FIELDS",
    "PARTNER_FIELDS",
    "PARTNER_FOREIGN_KEYS",
    "PARTNER_MANY_TO_MANY",
    "confirm_partner",
    "merge_partners",
    "register_partner_reference",
    "change_application_status",
    "create_application",
    "create_call",
    "create_contact",
    "create_convention",
    "create_partner",
    "grant_year",
    "granted_total",
    "paid_total",
    "record_grants_export",
    "record_payment",
    "record_report",
    "update_call",
    "update_contact",
    "update_convention",
    "update_partner",
]
