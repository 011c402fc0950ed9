"""Messages (courriel, SMS) par un expéditeur interchangeable : rappels, offres, invitations.

``PARCOURS_REMINDER_SENDER`` (réglage facultatif) désigne la classe ; par défaut
``FileSender`` écrit chaque message dans ``var/rappels/`` (rien ne quitte la machine : c'est le
cas de la démonstration et des tests) ; ``ConsoleSender`` l'écrit sur la sortie standard. Un
vrai passerelle SMS ou un serveur SMTP s'ajoutent en écrivant une classe avec ``send``.

Les services n'envoient pas eux-mêmes : ils confient leurs messages à :func:`send_after_commit`,
qui les fait partir une fois la transaction validée.
"""

import functools
import json
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Message:
    channel: str  # "EMAIL" ou "SMS"
    to: str
    subject: str
    body: str
    reference: str


class Sender(Protocol):
    """Un expéditeur (``FileSender``, ``ConsoleSender``, une passerelle réelle…)."""

    def send(self, message: Message) -> None: ...


def send_after_commit(sender: Sender, messages: Iterable[Message]) -> None:
    """Confie ``messages`` à ``sender`` une fois la transaction en cours validée : une écriture
    annulée n'envoie rien (hors transaction, l'envoi est immédiat). Chaque message part seul
    (``robust=True``) : un envoi qui échoue est journalisé sans empêcher les suivants."""
    for message in messages:
        transaction.on_commit(functools.partial(sender.send, message), robust=True)


class ConsoleSender:
    def send(self, message: Message) -> None:
        sys.stdout.write(f"[{message.channel} → {message.to}] {message.subject}\n{message.body}\n")


class FileSender:
    def __init__(self, directory=None):
        self.directory = Path(
            directory or getattr(settings, "PARCOURS_REMINDER_DIR", settings.VAR_DIR / "rappels")
        )

    def send(self, message: Message) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{message.reference}-{message.channel.lower()}.json"
        path.write_text(json.dumps(asdict(message), ensure_ascii=False, indent=2))


def get_sender():
    dotted = getattr(settings, "PARCOURS_REMINDER_SENDER", "parcours.core.messaging.FileSender")
    return import_string(dotted)()
