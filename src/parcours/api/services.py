"""Écritures de l'API : émettre et révoquer un jeton, compter un appel, recevoir un signalement,
journaliser une lecture."""

from __future__ import annotations

import datetime
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

from parcours.api.models import SHOWN, ApiToken, RateWindow, ReceivedReferral, digest, new_secret
from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry, Commune, Departement
from parcours.outreach import services as outreach_services
from parcours.people import services as people_services
from parcours.people.models import Person
from parcours.rules import api_access
from parcours.rules import nir as nir_rules

if TYPE_CHECKING:
    from django.db.models import Model

    from parcours.core.models import Organisation, User
    from parcours.outreach.models import Referral
    from parcours.partners.models import Partner

#: Un usage du jeton n'est réécrit en base qu'une fois par minute au plus.
LAST_USED_STEP = datetime.timedelta(seconds=60)


@transaction.atomic
def issue_token(
    *,
    actor: User | None,
    organisation: Organisation,
    scopes: list[str],
    partner: Partner | None = None,
    peer: Organisation | None = None,
    expires_on: datetime.date | None = None,
    label: str = "",
) -> tuple[ApiToken, str]:
    """Émet un jeton ; renvoie le jeton enregistré et son secret, à montrer une seule fois."""
    if (partner is None) == (peer is None):
        raise BusinessError({"partner": "Choisissez un partenaire de l'annuaire ou un organisme."})
    if partner is not None and partner.organisation_id != organisation.pk:
        raise BusinessError({"partner": "Ce partenaire n'est pas dans l'annuaire de l'organisme."})
    if peer is not None and peer.pk == organisation.pk:
        raise BusinessError({"peer": "Choisissez un autre organisme que le vôtre."})
    if not scopes or set(scopes) - set(api_access.SCOPES):
        raise BusinessError({"scopes": "Choisissez au moins une portée parmi celles de l'API."})
    if expires_on is not None and expires_on < clock.today():
        raise BusinessError({"expires_on": "L'échéance ne peut pas être passée."})
    secret = new_secret()
    token = ApiToken.objects.create(
        organisation=organisation,
        partner=partner,
        peer=peer,
        label=label,
        scopes=[s for s in api_access.SCOPES if s in scopes],
        prefix=secret[:SHOWN],
        secret_hash=digest(secret),
        expires_on=expires_on,
        created_by=actor,
        created_at=clock.now(),
    )
    audit.record_write(
        actor=actor,
        obj=token,
        before=None,
        person_id=None,
        summary=f"Jeton d'API émis pour {token.holder_name}",
    )
    return token, secret


@transaction.atomic
def revoke_token(*, actor: User | None, token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        raise BusinessError("Ce jeton est déjà révoqué.")
    before = audit.snapshot(token)
    token.revoked_at = clock.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit.record_write(
        actor=actor,
        obj=token,
        before=before,
        person_id=None,
        summary=f"Jeton d'API révoqué ({token.holder_name})",
    )
    return token


def authenticate(secret: str) -> ApiToken | None:
    """Le jeton actif dont ``secret`` est le secret, sinon None (inconnu, expiré, révoqué)."""
    if not secret.startswith("prc_") or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("organisation", "partner", "peer")
        .filter(secret_hash=digest(secret))
        .first()
    )
    if token is None or not api_access.is_active(
        expires_on=token.expires_on, revoked=token.revoked_at is not None, today=clock.today()
    ):
        return None
    return token


@transaction.atomic
def count_call(*, token: ApiToken) -> int:
    """Compte l'appel dans la fenêtre du jeton ; 0 s'il passe, sinon les secondes à attendre.

    Écriture technique (comme une session) : sans ligne du journal. Le dernier usage du jeton
    n'est réécrit qu'une fois par minute.
    """
    window = settings.PARCOURS_API_FENETRE
    now_seconds = int(time.time())
    start = api_access.window_start(now_seconds, window)
    updated = RateWindow.objects.filter(token=token, window=start).update(calls=F("calls") + 1)
    if not updated:
        RateWindow.objects.filter(token=token, window__lt=start - window).delete()
        RateWindow.objects.get_or_create(token=token, window=start, defaults={"calls": 0})
        RateWindow.objects.filter(token=token, window=start).update(calls=F("calls") + 1)
    calls = RateWindow.objects.filter(token=token, window=start).values_list("calls", flat=True)[0]
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return api_access.rate_decision(
        calls=calls, limit=settings.PARCOURS_API_LIMITE, now_seconds=now_seconds, window=window
    )


def _who(token: ApiToken) -> str:
    return f"API, jeton {token.prefix}… de {token.holder_name}"


def record_read(
    *,
    token: ApiToken,
    what: str,
    count: int,
    obj: Model | None = None,
    person_id: int | None = None,
    criteria: dict[str, Any] | None = None,
) -> AuditEntry:
    """La ligne du journal d'une lecture par l'API : qui (le jeton), quoi, combien de personnes."""
    return audit.record(
        actor=None,
        action=AuditEntry.Action.READ if person_id else AuditEntry.Action.LIST,
        obj=obj if obj is not None else token,
        person_id=person_id,
        organisation_id=token.organisation_id,
        summary=f"{_who(token)} : {what} ({count} personne{'s' if count > 1 else ''})",
        changes={
            "jeton": token.pk,
            "personnes": count,
            **({"criteres": criteria} if criteria else {}),
        },
    )


def _find_person(*, organisation_id: int, nir: str, data: dict[str, Any]) -> Person | None:
    """La fiche de la personne : même NIR, sinon une seule fiche au même nom, prénom et
    naissance (sans NIR différent) ; None s'il faut en créer une."""
    people = Person.objects.filter(organisation_id=organisation_id, merged_into__isnull=True)
    hashed = people_services.nir_hash(nir) if nir else None
    if hashed:
        same = people.filter(nir_hash=hashed).order_by("pk").first()
        if same is not None:
            return same
    candidates = list(
        people_services.find_duplicates(
            organisation_id=organisation_id,
            nir=None,
            last_name=data["last_name"],
            first_names=data["first_names"],
            birth_date=data["birth_date"],
        )
        .filter(sex=data["sex"])
        .order_by("pk")[:2]
    )
    candidates = [p for p in candidates if not p.nir_hash or p.nir_hash == hashed]
    return candidates[0] if len(candidates) == 1 else None


@transaction.atomic
def receive_referral(*, token: ApiToken, data: dict[str, Any]) -> Referral:
    """Un signalement posté par un partenaire : la personne retrouvée (ou sa fiche créée), le
    signalement enregistré par le service de la détection, et sa réception par l'API (jeton,
    partenaire, base légale), chacun avec sa ligne du journal."""
    person_data = data["personne"]
    errors: dict[str, str] = {}
    nir = (person_data.get("nir") or "").strip()
    if nir:
        try:
            nir = nir_rules.validate(nir)
        except nir_rules.NirError as error:
            errors["personne.nir"] = str(error)
    today = clock.today()
    if person_data["date_naissance"] > today:
        errors["personne.date_naissance"] = "La date de naissance ne peut pas être dans le futur."
    commune = None
    if person_data.get("commune_insee"):
        commune = Commune.objects.filter(code=person_data["commune_insee"]).first()
        if commune is None:
            errors["personne.commune_insee"] = (
                f"Code commune inconnu : « {person_data['commune_insee']} »."
            )
    departement_code = data.get("departement") or (commune.departement_id if commune else "")
    if not departement_code:
        errors["departement"] = "Indiquez le département (ou la commune de la personne)."
    elif not Departement.objects.filter(code=departement_code).exists():
        errors["departement"] = f"Département inconnu : « {departement_code} »."
    elif (
        token.organisation.departements.exists()
        and not token.organisation.departements.filter(code=departement_code).exists()
    ):
        errors["departement"] = "Ce département n'est pas couvert par l'organisme."
    basis = data["base_legale"]
    consent_date = data.get("date_consentement")
    if basis == ReceivedReferral.LegalBasis.CONSENTEMENT and consent_date is None:
        errors["date_consentement"] = "Indiquez la date du consentement de la personne."
    if consent_date is not None and consent_date > today:
        errors["date_consentement"] = "La date du consentement ne peut pas être dans le futur."
    if errors:
        raise BusinessError(errors)
    identity = {
        "last_name": person_data["nom"].strip(),
        "first_names": person_data["prenom"].strip(),
        "sex": person_data["sexe"],
        "birth_date": person_data["date_naissance"],
        "commune_id": commune.pk if commune else None,
        "postal_code": (commune.postal_codes.split() or [""])[0][:5] if commune else "",
        "departement_id": commune.departement_id if commune else departement_code,
        "phone": person_data.get("telephone") or "",
        "email": person_data.get("email") or "",
    }
    person = _find_person(organisation_id=token.organisation_id, nir=nir, data=identity)
    if person is None:
        person = people_services.create_person(
            actor=None, organisation_id=token.organisation_id, data=identity, nir=nir or None
        )
    referral = outreach_services.record_referral(
        actor=None,
        person=person,
        emitter=data["emetteur"],
        emitter_name=token.holder_name[:200],
        emitter_partner=token.partner,
        received_on=today,
        reason=data["motif"].strip(),
        programme=data["programme"],
        source=_who(token),
    )
    received = ReceivedReferral.objects.create(
        organisation_id=token.organisation_id,
        referral=referral,
        token=token,
        partner_id=token.partner_id,
        peer_id=token.peer_id,
        legal_basis=basis,
        consent_date=consent_date,
    )
    audit.record_write(
        actor=None,
        obj=received,
        before=None,
        person_id=person.pk,
        summary=f"Signalement reçu ({_who(token)})",
    )
    return referral
