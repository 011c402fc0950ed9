"""Contrôles de la configuration de production (``parcours check --deploy`` et
``parcours verifier-config``) : clés de chiffrement, clé secrète, hôtes, mode de débogage.

Une clé mal formée ne se voit pas au démarrage : le premier NIR chiffré échouerait, ou une
empreinte faible serait calculée pour toujours (changer la clé d'empreinte oblige à recalculer
toutes les empreintes). Ces contrôles refusent donc la configuration avant la mise en service.
"""

from django.conf import settings
from django.core import checks

#: Clés publiques des tests (``settings._secrets``) : jamais en production.
_TEST_VALUES = frozenset(
    {
        "test-secret-key-not-for-production-0123456789abcdef",
        "dGVzdC1uaXIta2V5LTMyLWJ5dGVzLWxvbmctMDEyMzQ=",
        "test-nir-hmac-key",
    }
)
MIN_HMAC_BYTES = 32
MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_UNIQUE = 5


def _fernet_problem(key: str) -> str | None:
    from cryptography.fernet import Fernet

    try:
        Fernet(key.encode())
    except (ValueError, TypeError):
        return (
            "PARCOURS_NIR_KEY n'est pas une clé Fernet valide (44 caractères base64 URL, "
            '32 octets) ; générez-en une avec `python -c "from cryptography.fernet import '
            'Fernet; print(Fernet.generate_key().decode())"`.'
        )
    return None


def configuration_errors(*, production: bool) -> list[checks.CheckMessage]:
    """Les défauts de la configuration chargée ; ``production`` ajoute hôtes et débogage."""
    errors: list[checks.CheckMessage] = []

    def error(code: str, message: str, hint: str | None = None) -> None:
        errors.append(checks.Error(message, hint=hint, id=f"parcours.{code}"))

    nir_key = getattr(settings, "PARCOURS_NIR_KEY", "") or ""
    hmac_key = getattr(settings, "PARCOURS_NIR_HMAC_KEY", "") or ""
    secret = settings.SECRET_KEY or ""
    if problem := _fernet_problem(nir_key):
        error("E001", problem)
    if len(hmac_key.encode()) < MIN_HMAC_BYTES:
        error(
            "E002",
            f"PARCOURS_NIR_HMAC_KEY est trop courte ({len(hmac_key.encode())} octets ; "
            f"au moins {MIN_HMAC_BYTES}).",
            'Par exemple : `python -c "import secrets; print(secrets.token_urlsafe(32))"`. '
            "Attention : changer cette clé oblige à recalculer les empreintes des NIR.",
        )
    if len(secret) < MIN_SECRET_KEY_LENGTH or len(set(secret)) < MIN_SECRET_KEY_UNIQUE:
        error(
            "E003",
            f"PARCOURS_SECRET_KEY est trop faible ({len(secret)} caractères ; au moins "
            f"{MIN_SECRET_KEY_LENGTH}, variés).",
            'Par exemple : `python -c "import secrets; print(secrets.token_urlsafe(50))"`.',
        )
    if hmac_key and hmac_key == nir_key:
        error("E004", "PARCOURS_NIR_KEY et PARCOURS_NIR_HMAC_KEY doivent être différentes.")
    if production:
        used = [
            name
            for name, value in (
                ("PARCOURS_SECRET_KEY", secret),
                ("PARCOURS_NIR_KEY", nir_key),
                ("PARCOURS_NIR_HMAC_KEY", hmac_key),
            )
            if value in _TEST_VALUES
        ]
        if used:
            error("E005", f"Clés publiques des tests utilisées en production : {', '.join(used)}.")
        if not [h for h in settings.ALLOWED_HOSTS if h.strip()]:
            error(
                "E006",
                "ALLOWED_HOSTS est vide : définissez PARCOURS_ALLOWED_HOSTS (noms du service, "
                "séparés par des virgules).",
            )
        elif "*" in settings.ALLOWED_HOSTS:
            error("E007", "ALLOWED_HOSTS accepte tout hôte (« * ») : nommez le service.")
        if settings.DEBUG:
            error("E008", "Le mode de débogage (DEBUG) est actif en production.")
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_production_configuration(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Avec ``check --deploy`` : les mêmes contrôles que ``parcours verifier-config``."""
    return configuration_errors(production=True)
