"""La protection des données de démonstration : le registre des traitements par défaut et les
durées de conservation (formats.md §8) de la Carsat et de la CAF de démonstration, et une
déléguée à la protection des données (``dpo``) à la Carsat. Par les services (journal compris) ;
rejouable : un registre existant n'est pas réécrit."""

from django.db import transaction

from parcours.core.models import Organisation, User
from parcours.demo.organisation import DEMO_PASSWORD
from parcours.privacy.queries import register as queries
from parcours.privacy.services import register as services
from parcours.rules.retention import DEFAULTS

DPO_USERNAME = "dpo"


def dpo(organisation: Organisation) -> User:
    """La déléguée à la protection des données : sans fonction du service social, elle arrive
    sur la page « Protection des données »."""
    user, created = User.objects.update_or_create(
        username=DPO_USERNAME,
        defaults={
            "first_name": "Chloé",
            "last_name": "Marchand",
            "function": "",
            "organisation": organisation,
            "fte": "1.00",
            "is_org_admin": False,
            "is_dpo": True,
            "email": f"{DPO_USERNAME}@demo.parcours.invalid",
            "is_active": True,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def generate(*, code: str = "carsat-demo", others: tuple[str, ...] = ()) -> dict[str, int]:
    """Registre et durées de ``code`` et des organismes ``others`` ; la DPO de ``code``."""
    counts = {}
    with transaction.atomic():
        for organisation_code in (code, *others):
            organisation = Organisation.objects.filter(code=organisation_code).first()
            if organisation is None:
                continue
            admin = User.objects.filter(organisation=organisation, is_org_admin=True).first()
            services.seed_default_register(actor=admin, organisation=organisation)
            if not queries.retention_rules_saved(organisation):
                services.update_retention_rules(
                    actor=admin, organisation=organisation, values=dict(DEFAULTS)
                )
            counts[organisation_code] = len(queries.register_of(organisation))
        dpo(Organisation.objects.get(code=code))
    return counts
