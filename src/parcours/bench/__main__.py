"""``python -m parcours.bench [ciblage|historique|courriers|envoi [Mo]|charge …|api [N]|
partages [N]|extrait|purge [N]|observatoire [LIGNES]]`` : toutes les mesures, ou une seule."""

import os
import subprocess
import sys

from parcours.bench import letters, pages

if sys.argv[1:2] == ["_ciblage"]:  # processus enfant de la mesure d'import (interrompu exprès)
    pages._targeting_child(sys.argv[2], sys.argv[3])
    sys.exit(0)
if sys.argv[1:2] in (["courriers"], ["_courriers"]):  # courriers de campagne (PDF)
    sys.exit(letters.run() if len(sys.argv) == 2 else letters._child(sys.argv[2]))
if sys.argv[1:2] == ["ciblage"]:  # seulement la mesure de l'import (base légère)
    sys.exit(pages.measure_targeting_import())
if sys.argv[1:2] == ["historique"]:  # seulement l'import d'historique et le rapport
    sys.exit(pages.history_bench())
if sys.argv[1:2] == ["envoi"]:  # gros extrait invalide envoyé, page lue pendant son traitement
    from parcours.bench import upload

    upload.run(int(sys.argv[2]) if sys.argv[2:3] else 20)
    sys.exit(0)
if sys.argv[1:2] == ["api"]:  # l'API des partenaires : envoi et suivi d'un signalement
    from parcours.bench import api

    sys.exit(api.run(int(sys.argv[2]) if sys.argv[2:3] else 300))
if sys.argv[1:2] == ["partages"]:  # orientations, onglet « Partages », parcours partagés
    from parcours.bench import sharing

    sys.exit(sharing.run(int(sys.argv[2]) if sys.argv[2:3] else 20000))
if sys.argv[1:2] in (["extrait"], ["_extrait"]):  # extrait pseudonymisé d'une région-année
    from parcours.bench import extract

    if sys.argv[1] == "_extrait":
        extract._child(sys.argv[2], sys.argv[3])
        sys.exit(0)
    sys.exit(extract.run())
if sys.argv[1:2] == ["purge"]:  # la purge de conservation, à côté de son plancher
    from parcours.bench import purge

    sys.exit(purge.run(int(sys.argv[2]) if sys.argv[2:3] else 700))
if sys.argv[1:2] in (["observatoire"], ["_observatoire"]):  # fichier national des retraités
    from parcours.bench import observatory

    if sys.argv[1] == "_observatoire":
        observatory._child(sys.argv[2], sys.argv[3], sys.argv[4])
        sys.exit(0)
    sys.exit(observatory.run(int(sys.argv[2]) if sys.argv[2:3] else 14_000_000))
if sys.argv[1:2] == ["charge"]:  # 20 AS en même temps sous gunicorn (locust)
    from parcours.bench import load

    target = sys.argv[2] if sys.argv[2:3] else "sqlite"
    load.run(target, int(sys.argv[3]) if sys.argv[3:4] else 60)
    sys.exit(0)
environment = os.environ.copy()
code = pages.run()
for extra in (["envoi"], ["charge", "sqlite"]):  # chacune sur sa base SQLite
    subprocess.run([sys.executable, "-m", "parcours.bench", *extra], env=environment, check=True)  # noqa: S603
sys.exit(code)
