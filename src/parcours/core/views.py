"""Connexion (mot de passe puis second facteur), compte, accueil selon le rôle, pages d'erreur."""

import base64

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.core import audit
from parcours.core.forms import LoginForm, OtpForm
from parcours.core.models import AuditEntry
from parcours.core.roles import Role

THROTTLED = (
    "Trop d'essais rapprochés : patientez quelques secondes avant de saisir le nouveau code."
)


def _next_url(request, default="accueil"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


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
            audit.record(
                actor=user,
                action=AuditEntry.Action.LOGIN,
                object_type="session",
                summary="Connexion",
            )
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
        code = form.cleaned_data["code"].strip()
        devices = [
            d
            for d in TOTPDevice.objects.devices_for_user(request.user, confirmed=True)
            if d.verify_is_allowed()[0]
        ]
        if not devices:
            form.add_error("code", THROTTLED)
            return render(request, "registration/code.html", {"form": form})
        for device in devices:
            if device.verify_token(code):
                otp_login(request, device)
                return redirect(_next_url(request))
        audit.record(
            actor=request.user,
            action=AuditEntry.Action.OTP,
            object_type="session",
            summary="Code de second facteur refusé",
        )
        form.add_error("code", "Code incorrect ou expiré. Saisissez le code affiché maintenant.")
    return render(request, "registration/code.html", {"form": form})


@login_required
def otp_setup(request):
    """Activer le second facteur (obligatoire pour les administrateurs)."""
    user = request.user
    if user_has_device(user) and not user.is_verified():
        return redirect("verification-otp")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Application d'authentification", confirmed=False
        )
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("code", THROTTLED)
        elif device.verify_token(form.cleaned_data["code"].strip()):
            TOTPDevice.objects.filter(user=user, confirmed=True).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit.record(
                actor=user,
                action=AuditEntry.Action.OTP,
                object_type="totp",
                summary="Second facteur activé",
            )
            messages.success(request, "Le second facteur est activé.")
            return redirect("mon-compte")
        else:
            form.add_error(
                "code", "Code incorrect : vérifiez l'heure de votre téléphone et réessayez."
            )
    qr = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/second_facteur.html",
        {
            "form": form,
            "qr_svg": qr.to_string(encoding="unicode"),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": user.is_org_admin or user.is_superuser,
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
    """L'accueil de chacun selon son rôle."""
    agent = request.agent
    if agent.role == Role.AS:
        return redirect("mon-activite")
    if agent.role == Role.MANAGER:
        return redirect("equipe")
    if agent.role == Role.FRONT_LINE:
        return redirect("personnes")
    if agent.is_org_admin:
        return redirect("administration")
    return render(request, "accueil.html")


def health(request):
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception=None):
    return render(request, "erreurs/404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "erreurs/403.html", status=403)


def server_error(request):
    return render(request, "erreurs/500.html", status=500)


def csrf_failure(request, reason=""):
    return render(request, "erreurs/csrf.html", status=403)
