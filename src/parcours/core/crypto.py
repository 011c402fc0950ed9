"""Chiffrement du NIR (Fernet) et empreinte de recherche (HMAC-SHA256)."""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@cache
def _fernet() -> Fernet:
    return Fernet(settings.PARCOURS_NIR_KEY.encode())


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # clé changée ou donnée altérée
        raise ValueError("Impossible de déchiffrer le NIR (clé incorrecte).") from exc


def blind_index(value: str) -> str:
    key = settings.PARCOURS_NIR_HMAC_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
