"""Réglages de Parcours.

Un seul module, piloté par l'environnement :
- ``PARCOURS_ENV`` : ``development`` (défaut), ``test`` ou ``production`` ;
- ``DATABASE_URL`` : ``sqlite:///chemin`` ou ``postgres://…`` (défaut : ``var/parcours.sqlite3``) ;
- ``PARCOURS_SECRET_KEY``, ``PARCOURS_NIR_KEY`` (clé Fernet) et ``PARCOURS_NIR_HMAC_KEY`` :
  obligatoires en production ; en développement ils sont lus dans ``var/cles-dev.json`` que
  ``make run`` crée (``python -m parcours.core.devkeys``).
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("PARCOURS_HOME", BASE_DIR.parent.parent))
VAR_DIR = PROJECT_DIR / "var"

ENV = os.environ.get("PARCOURS_ENV", "development")
if ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"PARCOURS_ENV inconnu : {ENV!r} (development, test, production).")
DEBUG = ENV == "development" and os.environ.get("PARCOURS_DEBUG", "1") == "1"
PRODUCTION = ENV == "production"


def _secrets() -> dict[str, str]:
    """Clés secrètes : l'environnement d'abord, puis le fichier de développement."""
    names = ("PARCOURS_SECRET_KEY", "PARCOURS_NIR_KEY", "PARCOURS_NIR_HMAC_KEY")
    found = {name: os.environ[name] for name in names if os.environ.get(name)}
    if len(found) == len(names):
        return found
    if ENV == "test":
        # Clés fixes, publiques et réservées aux tests : jamais utilisées ailleurs.
        return {
            "PARCOURS_SECRET_KEY": "test-secret-key-not-for-production-0123456789abcdef",
            "PARCOURS_NIR_KEY": "dGVzdC1uaXIta2V5LTMyLWJ5dGVzLWxvbmctMDEyMzQ=",
            "PARCOURS_NIR_HMAC_KEY": "test-nir-hmac-key",
        } | found
    dev_file = VAR_DIR / "cles-dev.json"
    if not PRODUCTION and dev_file.exists():
        return json.loads(dev_file.read_text()) | found
    missing = ", ".join(n for n in names if n not in found)
    raise ImproperlyConfigured(
        f"Clés manquantes : {missing}. En développement, lancez `make run` "
        "(ou `python -m parcours.core.devkeys`) ; en production, "
        "définissez-les dans l'environnement."
    )


_SECRETS = _secrets()
SECRET_KEY = _SECRETS["PARCOURS_SECRET_KEY"]
PARCOURS_NIR_KEY = _SECRETS["PARCOURS_NIR_KEY"]
PARCOURS_NIR_HMAC_KEY = _SECRETS["PARCOURS_NIR_HMAC_KEY"]

ALLOWED_HOSTS = [h for h in os.environ.get("PARCOURS_ALLOWED_HOSTS", "").split(",") if h]
if not PRODUCTION:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "widget_tweaks",
    "dsfr",
    "django.forms",  # après dsfr : ses gabarits de widgets DSFR priment
    "parcours.core",
    "parcours.partners",
    "parcours.people",
    "parcours.cases",
    "parcours.outreach",
    "parcours.sharing",
    "parcours.observatory",
    "parcours.groups",
    "parcours.aid",
    "parcours.steering",
    "parcours.privacy",
    "parcours.demo",
    "parcours.api",
    "ninja",
    "django_tasks",
    "django_tasks_db",
]

# Tâches de fond (django-tasks) : en base, exécutées par « parcours db_worker » ;
# en test, exécutées sur-le-champ pour que les parcours restent déterministes.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if ENV == "test"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "parcours.core.headers.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "parcours.core.middleware.AgentContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "parcours.core.middleware.FrenchErrorPagesMiddleware",
    "parcours.core.once.OnceTokenMiddleware",
]

ROOT_URLCONF = "parcours.urls"
WSGI_APPLICATION = "parcours.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parcours.core.context_processors.parcours",
                "parcours.www.context_processors.navigation",
            ],
            "string_if_invalid": "",
        },
    }
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'parcours.sqlite3'}"),
        conn_max_age=0 if ENV == "test" else 60,
    )
}
# Pas de transaction par requête : seules les requêtes qui écrivent (POST, PUT, PATCH, DELETE)
# en ont une (parcours.core.transactions, dernier de MIDDLEWARE) ; une page consultée ne prend
# jamais le verrou d'écriture de SQLite et ne fait attendre personne.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "connexion"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "connexion"

# Verrouillage après échecs de connexion (django-axes), 15 minutes : 5 échecs pour un
# identifiant depuis une adresse IP, 20 pour une adresse IP tous identifiants confondus
# (pulvérisation de mots de passe) ; la limite de chaque essai : parcours.core.lockout.
AXES_FAILURE_LIMIT_USER = int(os.environ.get("PARCOURS_ECHECS_IDENTIFIANT", "5"))
AXES_FAILURE_LIMIT_IP = int(os.environ.get("PARCOURS_ECHECS_ADRESSE_IP", "20"))
AXES_FAILURE_LIMIT = "parcours.core.lockout.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/verrouille.html"
AXES_RESET_ON_SUCCESS = False  # remplacé : parcours.core.lockout.reset_own_failures
AXES_VERBOSE = False
AXES_ENABLED = os.environ.get("PARCOURS_AXES", "1") == "1"
#: Nombre de mandataires de confiance devant l'application (adresse du client : lockout.client_ip).
PARCOURS_MANDATAIRES = int(os.environ.get("PARCOURS_MANDATAIRES", "0"))
# Adresse publique (« https://parcours.exemple.fr ») des liens envoyés hors requête : relances
# des orientations par ``parcours relancer-orientations``.
PARCOURS_ADRESSE_PUBLIQUE = os.environ.get("PARCOURS_ADRESSE_PUBLIQUE", "")
AXES_CLIENT_IP_CALLABLE = "parcours.core.lockout.client_ip"

# Second facteur (django-otp, TOTP).
OTP_TOTP_ISSUER = "Parcours"

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = (
    Path(os.environ.get("PARCOURS_STATIC_ROOT", VAR_DIR / "static")) if PRODUCTION else None
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Sécurité HTTP.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("PARCOURS_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    CSRF_TRUSTED_ORIGINS = [
        o for o in os.environ.get("PARCOURS_CSRF_TRUSTED_ORIGINS", "").split(",") if o
    ]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # Le JavaScript du DSFR pose des attributs style (tableaux, menus) : seuls les attributs
        # sont permis ; éléments <style> et scripts en ligne restent interdits.
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Journalisation : jamais de données personnelles (pas d'URL avec paramètres, pas de corps).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"simple": {"format": "{asctime} {levelname} {name} {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "simple"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# DSFR : marquer les champs facultatifs plutôt que les obligatoires.
DSFR_MARK_OPTIONAL_FIELDS = True
DSFR_USE_INTEGRITY_CHECKSUMS = True

# Paramètres métier par défaut (modifiables par organisme).
PARCOURS_HOME_VISIT_TARGET = 300
CSRF_FAILURE_VIEW = "parcours.core.views.csrf_failure"

# Envois de fichiers : une taille maximale pour tout fichier envoyé (PARCOURS_UPLOAD_MAX_MB,
# en Mo de 1 048 576 octets), vérifiée pendant la réception, avant tout enregistrement
# (parcours.core.uploads) ; les lignes rejetées d'un import gardées en détail (les autres sont
# comptées, résumées par motif et téléchargeables en entier).
PARCOURS_UPLOAD_MAX_MB = int(os.environ.get("PARCOURS_UPLOAD_MAX_MB", "50"))
PARCOURS_REJECTIONS_KEPT = int(os.environ.get("PARCOURS_REJECTIONS_KEPT", "1000"))
FILE_UPLOAD_HANDLERS = [
    "parcours.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Au-delà de 2,5 Mo, un fichier attend sur disque (fichier temporaire), pas en mémoire ; les
# champs d'un formulaire (hors fichiers) ne dépassent pas 2,5 Mo, le corps d'une requête sans
# fichier non plus (au-delà : 413, parcours.core.uploads.BodySizeLimitMiddleware).
FILE_UPLOAD_MAX_MEMORY_SIZE = min(2_621_440, PARCOURS_UPLOAD_MAX_MB * 1_048_576)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
MIDDLEWARE.append("parcours.core.uploads.BodySizeLimitMiddleware")
# Toujours le dernier : la transaction des requêtes qui écrivent n'enveloppe que la vue.
MIDDLEWARE.append("parcours.core.transactions.AtomicUnsafeRequestsMiddleware")

# API des partenaires (parcours.api) : au plus PARCOURS_API_LIMITE appels par jeton et par
# fenêtre de PARCOURS_API_FENETRE secondes (rules.api_access, compté en base : tous les
# processus ensemble) ; au-delà, 429 et Retry-After.
PARCOURS_API_LIMITE = int(os.environ.get("PARCOURS_API_LIMITE", "120"))
PARCOURS_API_FENETRE = int(os.environ.get("PARCOURS_API_FENETRE", "60"))
