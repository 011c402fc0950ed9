"""Écritures d'administration : organisme, lieux d'accueil, secteurs, agents ; connexion et
second facteur.

Chaque fonction est une transaction qui écrit aussi son entrée du journal d'audit (avant/après ;
jamais de mot de passe). Qui a le droit d'appeler quoi se décide avant, dans les vues, par
``policies.can_administer`` ; ici sont vérifiés les invariants : tout reste dans l'organisme
(départements couverts, lieux, agents), et les refus sont des ``BusinessError`` en français,
champ par champ, pour être affichés à côté de la saisie.

Un module par sous-domaine (``organisations``, ``sites``, ``sectors``, ``staff``, ``auth``) ;
``from parcours.core import services`` les réunit.
"""

from __future__ import annotations

from parcours.core.services.auth import (
    check_totp_code,
    confirm_totp_device,
    record_login,
    start_totp_enrolment,
)
from parcours.core.services.organisations import create_organisation, update_organisation
from parcours.core.services.sectors import create_sector, parse_insee_codes, update_sector
from parcours.core.services.sites import create_site, update_site
from parcours.core.services.staff import (
    create_staff,
    deactivate_staff,
    reactivate_staff,
    update_staff,
)

__all__ = [
    "check_totp_code",
    "confirm_totp_device",
    "create_organisation",
    "create_sector",
    "create_site",
    "create_staff",
    "deactivate_staff",
    "parse_insee_codes",
    "reactivate_staff",
    "record_login",
    "start_totp_enrolment",
    "update_organisation",
    "update_sector",
    "update_site",
    "update_staff",
]
