"""Messages (courriel, SMS) par un expéditeur interchangeable : rappels, offres, invitations.

``PARCOURS_REMINDER_SENDER`` (réglage facultatif) désigne la classe ; par défaut
``FileSender`` écrit chaque message dans ``var/rappels/`` (rien ne quitte la machine : c'est le
cas de la démonstration et des tests) ; ``ConsoleSender`` l'écrit sur la sortie standard. Un
vrai passerelle SMS ou un serveur SMTP s'ajoutent en écrivant une classe avec ``send``.
"""

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Message:
    channel: str  # "EMAIL" ou "SMS"
    to: str
    subject: str
    body: str
    reference: str


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
