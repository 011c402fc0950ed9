"""Actions collectives : places, liste d'attente, questionnaires (règles pures, sans Django).

- une inscription prend une place tant que la séance n'est pas complète, sinon elle va en liste
  d'attente ; une place libérée (annulation) revient au premier de la liste d'attente ;
- une réponse se valide selon le type de la question (échelle, oui/non, choix, texte libre) ;
- réponse « positive » : échelle dans les deux niveaux du haut (4 ou 5 sur 5), « oui », ou un
  choix marqué positif ; le texte libre n'a pas de part positive ;
- pourcentages arrondis au dixième, la moitié loin de zéro (formats.md §5).
"""

import calendar
import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

REGISTERED = "INSCRIT"
WAITING = "ATTENTE"
CANCELLED = "ANNULE"

# Transitions permises d'une inscription : (état, événement) -> état.
TRANSITIONS = {
    (REGISTERED, "annuler"): CANCELLED,
    (WAITING, "annuler"): CANCELLED,
    (WAITING, "promouvoir"): REGISTERED,
    (CANCELLED, "reinscrire"): REGISTERED,
    (CANCELLED, "mettre_en_attente"): WAITING,
}

SCALE = "ECHELLE"
YES_NO = "OUI_NON"
CHOICE = "CHOIX"
TEXT = "TEXTE"

YES, NO = 1, 0
TEXT_MAX_LENGTH = 2000

AT_END = "A_CHAUD"  # à la fin de la séance
START = "DEBUT"  # à la première séance de l'action
END = "FIN"  # à la dernière séance de l'action
LATER = "DIFFERE"  # N mois après la dernière séance suivie


class InvalidTransition(ValueError):
    pass


class InvalidAnswer(ValueError):
    """Réponse refusée ; le message est en français, affiché à côté de la question."""


def next_status(status: str, event: str) -> str:
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        raise InvalidTransition(f"« {event} » est impossible depuis l'état « {status} ».") from None


def status_for_new_registration(capacity: int, taken: int) -> str:
    """``taken`` : inscriptions qui occupent déjà une place (état INSCRIT)."""
    if capacity < 0 or taken < 0:
        raise ValueError("capacité et places prises sont positives")
    return REGISTERED if taken < capacity else WAITING


def places_to_promote(capacity: int, taken: int, waiting: int) -> int:
    """Combien de personnes en attente passent inscrites quand des places se libèrent."""
    return max(0, min(waiting, capacity - taken))


def validate_answer(
    answer_type: str,
    raw: str | None,
    *,
    required: bool = False,
    scale_max: int = 5,
    choices: Iterable[str] = (),
) -> tuple[int | None, str]:
    """La valeur à enregistrer ``(nombre, texte)`` ; ``(None, "")`` pour une réponse vide."""
    raw = (raw or "").strip()
    if not raw:
        if required:
            raise InvalidAnswer("Veuillez répondre à cette question.")
        return None, ""
    if answer_type == SCALE:
        if not raw.isdigit() or not 1 <= int(raw) <= scale_max:
            raise InvalidAnswer(f"Choisissez une note entre 1 et {scale_max}.")
        return int(raw), ""
    if answer_type == YES_NO:
        if raw not in {"1", "0"}:
            raise InvalidAnswer("Répondez par oui ou par non.")
        return int(raw), ""
    if answer_type == CHOICE:
        options = list(choices)
        if not raw.isdigit() or not 0 <= int(raw) < len(options):
            raise InvalidAnswer("Choisissez l'une des réponses proposées.")
        return int(raw), ""
    if answer_type == TEXT:
        if len(raw) > TEXT_MAX_LENGTH:
            raise InvalidAnswer(f"{TEXT_MAX_LENGTH} caractères au plus.")
        return None, raw
    raise ValueError(f"type de réponse inconnu : {answer_type}")


def positive_threshold(scale_max: int) -> int:
    """Plus petite note positive : les deux niveaux du haut (4 sur 5, 9 sur 10, 3 sur 4)."""
    return max(1, scale_max - 1)


def is_positive(
    answer_type: str, value: int | None, *, scale_max: int = 5, positive: Iterable[int] = ()
) -> bool:
    if value is None:
        return False
    if answer_type == SCALE:
        return value >= positive_threshold(scale_max)
    if answer_type == YES_NO:
        return value == YES
    if answer_type == CHOICE:
        return value in set(positive)
    return False


def percent(part: int, whole: int) -> Decimal | None:
    """``part / whole`` en % au dixième (moitié loin de zéro) ; ``None`` si ``whole`` = 0."""
    if whole == 0:
        return None
    if part < 0 or whole < 0:
        raise ValueError("effectifs positifs attendus")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Même jour N mois plus tard, ramené au dernier jour du mois s'il n'existe pas (31 → 30)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def questionnaire_opens_on(
    moment: str,
    *,
    months: int,
    first_session: datetime.date,
    last_session: datetime.date,
    last_attended: datetime.date | None,
) -> datetime.date | None:
    """Date à partir de laquelle la personne peut répondre ; ``None`` : pas concernée.

    À chaud et fin : après une séance suivie (la dernière de l'action pour « fin ») ;
    début : dès la première séance ; différé : N mois après la dernière séance suivie.
    """
    if moment == START:
        return first_session
    if last_attended is None:
        return None
    if moment == AT_END:
        return last_attended
    if moment == END:
        return last_session
    if moment == LATER:
        return add_months(last_attended, months)
    raise ValueError(f"moment inconnu : {moment}")


LINK_VALIDITY_DAYS = 400  # un an d'action, plus le questionnaire d'impact à 6 mois


def link_expired(issued_on: datetime.date, today: datetime.date) -> bool:
    """Un lien personnel sert ``LINK_VALIDITY_DAYS`` jours à compter de son émission (inclus)."""
    return (today - issued_on).days > LINK_VALIDITY_DAYS or issued_on > today


def is_mobile(phone: str) -> bool:
    """Un numéro de mobile français (06, 07, ou +33 6 / +33 7), pour l'envoi d'un SMS."""
    digits = "".join(c for c in (phone or "") if c.isdigit())
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    return len(digits) == 10 and digits[:2] in {"06", "07"}
