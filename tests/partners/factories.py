import datetime

from parcours.partners import services
from parcours.partners.models import Partner


def make_partner(*, org, actor, name="CCAS de Bourg-en-Bresse", kind=Partner.Kind.CCAS, **data):
    territories = data.pop("territories", ["01"])
    from parcours.core.models import Departement

    return services.create_partner(
        actor=actor,
        organisation_id=org.pk,
        data={"kind": kind, "name": name, **data},
        territories=Departement.objects.filter(code__in=territories),
    )


def make_convention(
    *,
    partner,
    actor,
    start=datetime.date(2026, 1, 1),
    end=datetime.date(2026, 12, 31),
    object="Évaluations à domicile",
    **data,
):
    return services.create_convention(
        actor=actor,
        partner=partner,
        data={"object": object, "start": start, "end": end, **data},
    )
