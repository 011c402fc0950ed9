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


def make_call(
    *,
    org,
    actor,
    title="Bien vieillir ensemble",
    year=2026,
    budget="50000",
    opens_on=datetime.date(2026, 1, 15),
    closes_on=datetime.date(2026, 3, 31),
    **data,
):
    from decimal import Decimal

    return services.create_call(
        actor=actor,
        organisation_id=org.pk,
        data={
            "title": title,
            "year": year,
            "programme": data.pop("programme", "BIEN_VIEILLIR"),
            "theme": data.pop("theme", "Lien social"),
            "budget": Decimal(budget),
            "opens_on": opens_on,
            "closes_on": closes_on,
            "description": data.pop("description", ""),
        },
    )


def make_application(
    *,
    call,
    partner,
    actor,
    title="Ateliers mémoire",
    amount="12000",
    received_on=datetime.date(2026, 2, 10),
    status="DEPOSEE",
):
    from decimal import Decimal

    application = services.create_application(
        actor=actor,
        call=call,
        partner=partner,
        data={
            "project_title": title,
            "requested_amount": Decimal(amount),
            "received_on": received_on,
        },
    )
    path = {"DEPOSEE": [], "INSTRUITE": ["INSTRUITE"], "RETENUE": ["INSTRUITE", "RETENUE"]}
    path["REJETEE"] = ["INSTRUITE", "REJETEE"]
    for step in path[status]:
        application = services.change_application_status(
            actor=actor,
            application=application,
            status=step,
            decided_on=datetime.date(2026, 4, 15),
            refusal_reason="Hors du thème de l'appel." if step == "REJETEE" else "",
        )
    return application


def make_grant(*, application, actor, convention, year=2026, amount="10000"):
    from decimal import Decimal

    return services.grant_year(
        actor=actor,
        application=application,
        year=year,
        convention=convention,
        amount=Decimal(amount),
    )


def subsidy_world(*, org, actor):
    """Un appel, une candidature retenue sous convention, une année accordée, un versement et
    un bilan : un objet de chaque sorte."""
    import datetime as dt
    from decimal import Decimal

    partner = make_partner(org=org, actor=actor, name=f"Association {org.code}")
    convention = make_convention(partner=partner, actor=actor)
    call = make_call(org=org, actor=actor)
    application = make_application(call=call, partner=partner, actor=actor, status="RETENUE")
    grant = make_grant(application=application, actor=actor, convention=convention)
    payment = services.record_payment(
        actor=actor, grant=grant, paid_on=dt.date(2026, 5, 2), amount=Decimal("4000")
    )
    report = services.record_report(
        actor=actor,
        grant=grant,
        data={
            "participants": 40,
            "sessions": 12,
            "comment": "",
            "received_on": dt.date(2026, 11, 20),
        },
    )
    return {
        "partner": partner,
        "convention": convention,
        "call": call,
        "application": application,
        "grant": grant,
        "payment": payment,
        "report": report,
    }
