"""Crée ``var/cles-dev.json`` (clés de développement) s'il n'existe pas.

Usage : ``python -m parcours.core.devkeys [chemin]``.
"""

import json
import os
import secrets
import sys
from pathlib import Path

from cryptography.fernet import Fernet


def main(path: str) -> None:
    target = Path(path)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    keys = {
        "PARCOURS_SECRET_KEY": secrets.token_urlsafe(50),
        "PARCOURS_NIR_KEY": Fernet.generate_key().decode(),
        "PARCOURS_NIR_HMAC_KEY": secrets.token_urlsafe(32),
    }
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(keys, f, indent=2)
    print(f"Clés de développement créées dans {target} (ne pas utiliser en production).")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "var/cles-dev.json")
