"""Connexion et second facteur (TOTP) : les écritures et leurs entrées du journal.

Le secret d'un appareil n'entre jamais dans le journal : seuls son nom et son état (confirmé ou
non) y sont repris.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.core import audit, queries
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry

if TYPE_CHECKING:
    from parcours.core.models import User

THROTTLED = (
    "Trop d'essais rapprochés : patientez quelques secondes avant de saisir le nouveau code."
)
DEVICE_NAME = "Application d'authentification"
#: Champs d'un appareil repris dans le journal (ni clé secrète, ni compteurs).
TOTP_AUDIT_FIELDS = ["name", "confirmed"]


def record_login(*, actor: User) -> AuditEntry:
    """La connexion réussie d'un agent (mot de passe accepté)."""
    return audit.record(
        actor=actor, action=AuditEntry.Action.LOGIN, object_type="connexion", summary="Connexion"
    )


def check_totp_code(*, actor: User, code: str) -> TOTPDevice:
    """L'appareil confirmé de l'agent qui accepte ``code``, sinon ``BusinessError`` (champ
    ``code``) : trop d'essais rapprochés, ou code refusé (journalisé).

    Pas de transaction : les compteurs de temporisation de django-otp doivent rester écrits
    quand le code est refusé.
    """
    devices = [d for d in queries.totp_devices(actor, confirmed=True) if d.verify_is_allowed()[0]]
    if not devices:
        raise BusinessError({"code": THROTTLED})
    for device in devices:
        if device.verify_token(code):
            return device
    audit.record(
        actor=actor,
        action=AuditEntry.Action.OTP,
        object_type="connexion",
        summary="Code de second facteur refusé",
    )
    raise BusinessError({"code": "Code incorrect ou expiré. Saisissez le code affiché maintenant."})


@transaction.atomic
def start_totp_enrolment(*, actor: User, key: str | None = None) -> TOTPDevice:
    """L'appareil en attente de confirmation de l'agent, créé au besoin (création journalisée) ;
    ``key`` : la clé déjà montrée à l'agent (celle de ``queries.enrolment_device``), qu'il a
    scannée. Appelé au premier code saisi (POST) : afficher la page n'écrit rien."""
    device = queries.totp_devices(actor, confirmed=False).first()
    if device is not None:
        return device
    extra = {"key": key} if key else {}
    device = TOTPDevice.objects.create(user=actor, name=DEVICE_NAME, confirmed=False, **extra)
    audit.record_write(
        actor=actor,
        obj=device,
        before=None,
        person_id=None,
        summary="Second facteur : appareil en attente de confirmation",
        fields=TOTP_AUDIT_FIELDS,
        object_type="totp",
    )
    return device


def confirm_totp_device(*, actor: User, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirme l'appareil de l'agent si ``token`` est bon : ses autres appareils confirmés sont
    supprimés (un seul second facteur à la fois) ; refus : ``BusinessError`` (champ ``code``).

    La vérification précède la transaction : un code refusé laisse écrits les compteurs de
    temporisation de django-otp ; suppression, confirmation et journal vont ensemble.
    """
    if device.user_id != actor.pk or device.confirmed:
        raise BusinessError({"code": "Cet appareil n'est pas en attente de confirmation."})
    if not device.verify_is_allowed()[0]:
        raise BusinessError({"code": THROTTLED})
    if not device.verify_token(token):
        raise BusinessError(
            {"code": "Code incorrect : vérifiez l'heure de votre téléphone et réessayez."}
        )
    with transaction.atomic():
        before = audit.snapshot(device, TOTP_AUDIT_FIELDS)
        replaced, _ = queries.totp_devices(actor, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        changes = audit.diff(before, audit.snapshot(device, TOTP_AUDIT_FIELDS))
        if replaced:
            changes["appareils_remplaces"] = {"avant": replaced, "apres": 0}
        audit.record(
            actor=actor,
            action=AuditEntry.Action.OTP,
            obj=device,
            object_type="totp",
            summary="Second facteur activé",
            changes=changes,
        )
    return device
