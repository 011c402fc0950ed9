"""``parcours travailleur`` : le travailleur des tâches de fond, relancé s'il s'arrête.

Lance ``parcours db_worker`` (django-tasks-db) dans un processus enfant et le surveille : s'il
meurt (erreur, « database is locked » hors d'une tâche, mémoire, SIGKILL), les tâches qu'il avait
commencées sont marquées en échec sur leur page (``core.worker.fail_abandoned``), puis il est
relancé après un délai croissant (``rules.background.retry_delay`` : 1, 2, 4… 30 s ; de nouveau
1 s après une minute de marche sans incident). SIGTERM ou SIGINT arrêtent l'enfant proprement
(il finit sa tâche en cours) puis la commande. ``make run`` et le service de production
(``docs/exploitation.md``) passent par elle.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import uuid

from django.core.management.base import BaseCommand

from parcours.core import worker
from parcours.rules import background


class Command(BaseCommand):
    help = "Lance le travailleur des tâches de fond et le relance s'il s'arrête."

    def add_arguments(self, parser):
        parser.add_argument(
            "--intervalle",
            type=float,
            default=1.0,
            help="secondes entre deux recherches de tâche quand la file est vide (1 par défaut)",
        )

    def handle(self, *args, **options):
        self.stopping = False
        self.child: subprocess.Popen | None = None
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._stop)
        # Un seul travailleur par machine : ce qu'un travailleur d'ici avait commencé avant un
        # arrêt de la machine ou de cette commande ne finira jamais.
        host = f"parcours-{socket.gethostname()[:40]}-"
        if abandoned := worker.fail_abandoned(host):
            self._say(f"{abandoned} tâche(s) interrompue(s) par un arrêt précédent : en échec.")
        if queued := worker.schedule_daily():
            self._say(f"{queued} tâche(s) quotidienne(s) mise(s) en file.")
        failures = 0
        while not self.stopping:
            worker_id = f"{host}{uuid.uuid4().hex[:12]}"
            started = time.monotonic()
            self.child = subprocess.Popen(  # noqa: S603 (notre propre commande)
                [
                    sys.executable,
                    "-m",
                    "parcours.cli",
                    "db_worker",
                    "--no-reload",
                    "--no-startup-delay",
                    "--interval",
                    str(options["intervalle"]),
                    "--worker-id",
                    worker_id,
                ],
                # Son propre groupe : un Ctrl+C au terminal n'atteint que cette commande, qui
                # transmet un seul SIGTERM (l'enfant finit sa tâche ; deux signaux l'interrompent).
                start_new_session=True,
            )
            self._say(f"Travailleur démarré (processus {self.child.pid}).")
            code = self.child.wait()
            if self.stopping:
                break
            abandoned = worker.fail_abandoned(worker_id)
            failures = 1 if time.monotonic() - started >= background.STABLE_AFTER else failures + 1
            delay = background.retry_delay(failures)
            self._say(
                f"Travailleur arrêté (processus {self.child.pid}, code {code}) ; "
                f"{abandoned} tâche(s) en cours marquée(s) en échec ; relance dans {delay:.0f} s."
            )
            self._sleep(delay)
        self._say("Travailleur arrêté.")

    def _stop(self, signum, frame):
        self.stopping = True
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signal.SIGTERM)

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < end:
            time.sleep(min(0.2, end - time.monotonic()))

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
