#!/usr/bin/env bash
# Démarrage de production, vérifié : gunicorn avec PARCOURS_ENV=production, des clés neuves et
# une base SQLite temporaire préparée par `parcours init` ; la page de connexion répond 200 et
# porte les en-têtes de sécurité (CSP avec frame-ancestors, HSTS, Cache-Control: no-store,
# X-Frame-Options, nosniff). Appelé par .ci/run après les tests ; lançable seul.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK="$(mktemp -d)"
PORT="${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Environnement de production propre : aucune variable PARCOURS_ ni DATABASE_URL héritée.
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(PARCOURS_[A-Z_]*\)=.*/\1/p')
unset DATABASE_URL DJANGO_SETTINGS_MODULE
export PARCOURS_ENV=production
export PARCOURS_HOME="$WORK"
export DATABASE_URL="sqlite:///$WORK/parcours.sqlite3"
export PARCOURS_STATIC_ROOT="$WORK/static"
export PARCOURS_ALLOWED_HOSTS=127.0.0.1
export PARCOURS_CSRF_TRUSTED_ORIGINS="https://127.0.0.1:$PORT"
PARCOURS_SECRET_KEY="$(uv run python -c 'import secrets; print(secrets.token_urlsafe(50))')"
PARCOURS_NIR_KEY="$(uv run python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
PARCOURS_NIR_HMAC_KEY="$(uv run python -c 'import secrets; print(secrets.token_urlsafe(32))')"
export PARCOURS_SECRET_KEY PARCOURS_NIR_KEY PARCOURS_NIR_HMAC_KEY

echo "== Vérification de la configuration de production"
uv run parcours verifier-config
echo "== Préparation de la base ($WORK)"
uv run parcours init >/dev/null
uv run parcours collectstatic --noinput -v 0

echo "== Démarrage de gunicorn sur 127.0.0.1:$PORT"
uv run gunicorn parcours.wsgi --bind "127.0.0.1:$PORT" --workers 2 \
  --log-level warning 2>"$WORK/serveur.log" &
SERVER_PID=$!

set +e
PORT="$PORT" uv run python - <<'PYTHON'
"""Attend le serveur puis vérifie la page de connexion et ses en-têtes, en français."""

import os
import sys
import time
import urllib.error
import urllib.request

base = f"http://127.0.0.1:{os.environ['PORT']}"
# Derrière le mandataire HTTPS (SECURE_PROXY_SSL_HEADER) : la requête est dite https.
headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def get(path, extra=None):
    request = urllib.request.Request(base + path, headers=headers | (extra or {}))
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


for _ in range(60):
    try:
        status, response_headers, body = get("/connexion/")
        break
    except (urllib.error.URLError, ConnectionError):
        time.sleep(0.5)
else:
    sys.exit("Le serveur de production n'a pas répondu en 30 secondes.")

problems = []


def expect(condition, message):
    print(("  ok    " if condition else "  ÉCHEC ") + message)
    if not condition:
        problems.append(message)


csp = response_headers.get("Content-Security-Policy", "")
expect(status == 200, f"page de connexion : 200 (reçu {status})")
expect("Connexion" in body and 'lang="fr"' in body, "page de connexion en français")
expect("default-src 'self'" in csp, "CSP : default-src 'self'")
expect("frame-ancestors 'none'" in csp, "CSP : frame-ancestors 'none'")
expect(response_headers.get("X-Frame-Options") == "DENY", "X-Frame-Options: DENY")
hsts = response_headers.get("Strict-Transport-Security", "")
expect("max-age=31536000" in hsts, f"HSTS un an ({hsts or 'absent'})")
expect(response_headers.get("Cache-Control") == "no-store", "Cache-Control: no-store")
expect(response_headers.get("Pragma") == "no-cache", "Pragma: no-cache")
expect(response_headers.get("X-Content-Type-Options") == "nosniff", "X-Content-Type-Options")
cookies = " ".join(v for k, v in response_headers.items() if k.lower() == "set-cookie")
expect("csrftoken" not in cookies or "Secure" in cookies, "cookie CSRF Secure")

# Sans l'en-tête du mandataire : redirection vers https.
plain = urllib.request.Request(base + "/connexion/", headers={"Host": "127.0.0.1"})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


try:
    urllib.request.build_opener(NoRedirect).open(plain, timeout=5)
    redirected = None
except urllib.error.HTTPError as error:
    redirected = (error.code, error.headers.get("Location", ""))
expect(
    redirected is not None and redirected[0] == 301 and redirected[1].startswith("https://"),
    f"http simple redirigé vers https ({redirected})",
)
# Page inconnue : la page française, jamais la page technique.
status, _h, body = get("/nulle-part/")
expect(status == 404 and "Page introuvable" in body, "404 française")
# Hôte non autorisé : refusé.
status, _h, _b = get("/connexion/", {"Host": "attaquant.exemple"})
expect(status == 400, f"hôte non autorisé refusé ({status})")
# Fichier statique servi et gardé en cache.
status, static_headers, _b = get("/static/parcours/parcours.css")
expect(status == 200 and "no-store" not in static_headers.get("Cache-Control", ""),
       "fichier statique servi, mis en cache")

if problems:
    sys.exit(f"Démarrage de production : {len(problems)} contrôle(s) en échec.")
print("Démarrage de production vérifié.")
PYTHON
status=$?
if [ "$status" -ne 0 ] && [ -s "$WORK/serveur.log" ]; then
  echo "== Journal du serveur"; tail -n 80 "$WORK/serveur.log"
fi
exit "$status"
