"""Connexion (mot de passe puis second facteur), compte, accueil selon le rôle, pages d'erreur."""

import base64
import re

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.util import random_hex

from parcours.core import policies, queries, services
from parcours.core.exceptions import BusinessError
from parcours.core.forms import LoginForm, OtpForm, apply_business_errors
from parcours.core.params import BadParameter


def _next_url(request):
    """La page demandée avant la connexion, sinon la page d'accueil du rôle."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return policies.home_page_for(request.user) or "accueil"


@transaction.non_atomic_requests  # le hachage du mot de passe ne tient pas le verrou d'écriture
def login_view(request):
    if request.user.is_authenticated:
        return redirect("accueil")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is not None and user.is_active:
            login(request, user)
            services.record_login(actor=user)
            return redirect(_next_url(request))
        form.add_error(None, "Identifiant ou mot de passe incorrect.")
    return render(
        request, "registration/connexion.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "Vous êtes déconnecté·e.")
    return redirect("connexion")


@login_required
def otp_verify(request):
    """Deuxième étape de la connexion : le code de l'application d'authentification."""
    if request.user.is_verified():
        return redirect("accueil")
    if not user_has_device(request.user):
        return redirect("second-facteur")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.check_totp_code(
                actor=request.user, code=form.cleaned_data["code"].strip()
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "registration/code.html", {"form": form})


#: La clé du second facteur montrée à l'agent, gardée en session jusqu'au premier code saisi.
ENROLMENT_KEY = "parcours_totp_key"


@login_required
def otp_setup(request):
    """Activer le second facteur (obligatoire pour les administrateurs)."""
    user = request.user
    if user_has_device(user) and not user.is_verified():
        return redirect("verification-otp")
    key = request.session.get(ENROLMENT_KEY) or ""
    if not re.fullmatch(r"[0-9a-f]{40}", key):
        key = request.session[ENROLMENT_KEY] = random_hex(20)
    device = queries.enrolment_device(user, key)  # rien n'est écrit avant le premier code
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.start_totp_enrolment(actor=user, key=device.key)
        try:
            services.confirm_totp_device(
                actor=user, device=device, token=form.cleaned_data["code"].strip()
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            otp_login(request, device)
            request.session.pop(ENROLMENT_KEY, None)
            messages.success(request, "Le second facteur est activé.")
            return redirect("mon-compte")
    qr = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/second_facteur.html",
        {
            "form": form,
            "qr_svg": qr.to_string(encoding="unicode"),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": policies.must_use_second_factor(user),
        },
    )


@login_required
def account(request):
    return render(
        request,
        "registration/compte.html",
        {
            "has_device": user_has_device(request.user),
        },
    )


@login_required
def home(request):
    """L'accueil de chacun selon son rôle (``policies.home_page_for``)."""
    page = policies.home_page_for(request.user)
    if page is not None:
        return redirect(page)
    return render(request, "accueil.html")


def health(request):
    return HttpResponse("ok", content_type="text/plain")


def bad_request(request, exception=None):
    """Demande invalide : le message d'un paramètre refusé (``core.params``), sinon générique.

    Un en-tête ``Host`` refusé est levé dans le premier intergiciel, avant la session et
    l'utilisateur : la page se rend alors en anonyme, et, si elle échoue encore, en page
    minimale, toujours en français (jamais une 500)."""
    message = getattr(exception, "message", "") if isinstance(exception, BadParameter) else ""
    message = message or "La demande n'a pas pu être comprise."
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
    try:
        return render(request, "erreurs/400.html", {"message": message}, status=400)
    except Exception:  # noqa: BLE001 - la page d'erreur ne doit jamais échouer
        return HttpResponse(BAD_REQUEST_FALLBACK.format(message=escape(message)), status=400)


def page_not_found(request, exception=None):
    return render(request, "erreurs/404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "erreurs/403.html", status=403)


BAD_REQUEST_FALLBACK = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Demande invalide'
    "</title></head><body><main><h1>Demande invalide</h1><p>{message}</p>"
    '<p><a href="/">Retour à l\'accueil</a></p></main></body></html>'
)

SERVER_ERROR_FALLBACK = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Erreur du service'
    "</title></head><body><main><h1>Erreur du service</h1><p>Une erreur inattendue s'est "
    "produite. Elle a été signalée ; réessayez dans un instant.</p>"
    '<p><a href="/">Retour à l\'accueil</a></p></main></body></html>'
)


def server_error(request):
    """La page d'erreur du service ; si la page habillée échoue elle-même (base indisponible,
    gabarit en cause), une page minimale, toujours en français."""
    try:
        return render(request, "erreurs/500.html", status=500)
    except Exception:  # noqa: BLE001 - la page d'erreur ne doit jamais échouer
        return HttpResponse(SERVER_ERROR_FALLBACK, status=500)


def csrf_failure(request, reason=""):
    return render(request, "erreurs/csrf.html", status=403)
