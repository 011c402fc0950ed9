"""Verrouillage après échecs de connexion (django-axes), à deux seuils.

- un identifiant depuis une adresse IP : ``AXES_FAILURE_LIMIT_USER`` échecs (5) bloquent ce
  couple (essais de mots de passe sur un compte) ;
- une adresse IP, tous identifiants confondus : ``AXES_FAILURE_LIMIT_IP`` échecs (20) la
  bloquent (pulvérisation : un mot de passe courant essayé sur beaucoup d'identifiants).

django-axes compte les échecs de chaque combinaison de ``AXES_LOCKOUT_PARAMETERS`` et compare
le plus grand à une seule limite. Cette limite est donc calculée ici, pour chaque essai : celle du
couple identifiant + IP s'il a atteint la sienne, sinon celle de l'IP. Le seuil de l'IP est plus
haut : un service entier passe souvent par une même adresse (mandataire, NAT).

Une connexion réussie efface les échecs de **ce** couple identifiant + IP seulement (et non
``AXES_RESET_ON_SUCCESS`` d'axes, qui avec le paramètre « IP seule » effacerait les échecs de
tous les identifiants de l'adresse : un attaquant muni d'un compte remettrait ses compteurs à
zéro en se connectant).

Derrière des mandataires (nginx, répartiteur), l'adresse du client se lit dans
``X-Forwarded-For`` : ``PARCOURS_MANDATAIRES`` dit combien de mandataires de confiance la
précèdent (``client_ip``). Sans ce réglage, seule l'adresse de la connexion compte : un en-tête
fourni par le client ne permet pas de changer d'adresse à chaque essai.
"""

import ipaddress

from axes.helpers import get_client_ip_address, get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models import Sum
from django.dispatch import receiver


def forwarded_client(remote_addr: str, forwarded_for: str, proxies: int) -> str:
    """L'adresse du client vue par le premier de ``proxies`` mandataires de confiance.

    Chaque mandataire ajoute à droite de ``X-Forwarded-For`` l'adresse qui lui parle : avec
    ``proxies`` mandataires, le client est la ``proxies``-ième adresse en partant de la droite.
    Ce que le client a pu écrire plus à gauche est ignoré ; un en-tête trop court ou une adresse
    mal formée renvoie l'adresse de la connexion."""
    if proxies <= 0:
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote_addr
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr


def client_ip(request) -> str:
    return forwarded_client(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        settings.PARCOURS_MANDATAIRES,
    )


def failure_limit(request, credentials) -> int:
    user_limit = settings.AXES_FAILURE_LIMIT_USER
    username = get_client_username(request, credentials)
    ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    if username is None:
        return settings.AXES_FAILURE_LIMIT_IP
    failures = AccessAttempt.objects.filter(username=username, ip_address=ip_address).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return user_limit if (failures or 0) >= user_limit else settings.AXES_FAILURE_LIMIT_IP


@receiver(user_logged_in, dispatch_uid="parcours-lockout-reset")
def reset_own_failures(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    AccessAttempt.objects.filter(username=user.get_username(), ip_address=ip_address).delete()
