"""Subventions de démonstration : deux appels à projets (l'an dernier, décidé ; cette année,
clos avec des candidatures encore à décider), six candidatures, trois subventions sous
convention (dont une sur deux années), des versements, un bilan annuel, et deux actions
collectives de l'Ain financées par une subvention de l'année.

Après l'annuaire (les partenaires) et les actions collectives (qu'on rattache) ; dates
relatives à aujourd'hui ; écrit par les services (journal compris). Déterministe.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from parcours.core import clock
from parcours.core.models import Departement, Organisation, User
from parcours.core.nomenclatures import Fonction, Programme
from parcours.groups import services as group_services
from parcours.groups.models import GroupAction
from parcours.partners import services
from parcours.partners.models import (
    Application,
    Convention,
    Grant,
    Partner,
    Payment,
    ProjectCall,
    YearlyReport,
)

#: l'objet des conventions pluriannuelles d'objectifs que crée cette démonstration
CPO = "Convention pluriannuelle d'objectifs"
CPO_PARTNERS = ["ADMR de l'Ain", "CLIC du Bassin burgien", "CCAS de Villeurbanne"]

#: actions collectives de démonstration de l'Ain rattachées à une subvention de l'année
FUNDED_ACTIONS = {
    "Atelier mémoire « Réveil des savoirs »": "ADMR de l'Ain",
    "Groupe de parole des aidants": "CLIC du Bassin burgien",
}


def reset(organisation) -> None:
    """Efface les subventions de l'organisme (l'annuaire les précède : il appelle ce ``reset``
    avant d'effacer partenaires et conventions)."""
    grants = Grant.objects.filter(application__call__organisation=organisation)
    GroupAction.objects.filter(grant__in=grants).update(grant=None)
    YearlyReport.objects.filter(grant__in=grants).delete()
    Payment.objects.filter(grant__in=grants).delete()
    grants.delete()
    Application.objects.filter(call__organisation=organisation).delete()
    ProjectCall.objects.filter(organisation=organisation).delete()
    Convention.objects.filter(partner__organisation=organisation, object__startswith=CPO).delete()


def _call(manager, organisation, departements, *, title, year, theme, budget, opens_on):
    return services.create_call(
        actor=manager,
        organisation_id=organisation.pk,
        data={
            "title": title,
            "year": year,
            "programme": Programme.BIEN_VIEILLIR,
            "theme": theme,
            "budget": Decimal(budget),
            "opens_on": opens_on,
            "closes_on": opens_on + datetime.timedelta(days=75),
            "description": (
                "Appel à projets annuel de l'action sociale collective : des actions de "
                "prévention menées par les associations et les collectivités pour les retraités."
            ),
        },
        departements=departements,
    )


def _apply(manager, call, partner, title, amount, *, received, status, decided_on, reason=""):
    application = services.create_application(
        actor=manager,
        call=call,
        partner=partner,
        data={
            "project_title": title,
            "requested_amount": Decimal(amount),
            "received_on": received,
        },
    )
    steps = {"DEPOSEE": [], "INSTRUITE": ["INSTRUITE"], "RETENUE": ["INSTRUITE", "RETENUE"]}
    steps["REJETEE"] = ["INSTRUITE", "REJETEE"]
    for step in steps[status]:
        application = services.change_application_status(
            actor=manager,
            application=application,
            status=step,
            decided_on=decided_on,
            refusal_reason=reason if step == "REJETEE" else "",
        )
    return application


def generate(*, code: str = "carsat-demo") -> dict:
    organisation = Organisation.objects.get(code=code)
    today = clock.today()
    year = today.year
    manager = User.objects.filter(organisation=organisation, function=Fonction.MANAGER).first()
    assert manager is not None, "la démonstration crée ses responsables avant les subventions"
    partners = {p.name: p for p in Partner.objects.filter(organisation=organisation)}
    departements = list(Departement.objects.filter(code__in=["01", "69"]).order_by("code"))
    counts = {"appels": 0, "candidatures": 0, "subventions": 0, "versements": 0, "bilans": 0}
    with transaction.atomic():
        reset(organisation)
        conventions = {
            name: services.create_convention(
                actor=manager,
                partner=partners[name],
                data={
                    "object": f"{CPO} {year - 1}-{year + 1}",
                    "start": datetime.date(year - 1, 1, 1),
                    "end": datetime.date(year + 1, 12, 31),
                    "services": "Actions collectives de prévention subventionnées",
                    "unit_price": None,
                },
                territories=list(partners[name].territories.all()),
            )
            for name in CPO_PARTNERS
        }
        last_opens = today - datetime.timedelta(days=485)
        last = _call(
            manager,
            organisation,
            departements,
            title=f"Bien vieillir et lien social {year - 1}",
            year=year - 1,
            theme="Prévention des chutes, lien social, aide aux aidants",
            budget="40000",
            opens_on=last_opens,
        )
        current_opens = today - datetime.timedelta(days=120)
        current = _call(
            manager,
            organisation,
            departements,
            title=f"Lutte contre l'isolement des retraités {year}",
            year=year,
            theme="Isolement, numérique, aidants",
            budget="60000",
            opens_on=current_opens,
        )
        counts["appels"] = 2
        last_decided = last.closes_on + datetime.timedelta(days=20)
        current_decided = current.closes_on + datetime.timedelta(days=15)
        day = datetime.timedelta
        admr_last = _apply(
            manager,
            last,
            partners["ADMR de l'Ain"],
            "Ateliers équilibre et prévention des chutes",
            "15000",
            received=last_opens + day(20),
            status="RETENUE",
            decided_on=last_decided,
        )
        _apply(
            manager,
            last,
            partners["CCAS de Bourg-en-Bresse"],
            "Café des aidants",
            "8000",
            received=last_opens + day(40),
            status="REJETEE",
            decided_on=last_decided,
            reason="Projet déjà financé par la conférence des financeurs.",
        )
        admr = _apply(
            manager,
            current,
            partners["ADMR de l'Ain"],
            "Ateliers mémoire et équilibre à domicile",
            "24000",
            received=current_opens + day(10),
            status="RETENUE",
            decided_on=current_decided,
        )
        clic = _apply(
            manager,
            current,
            partners["CLIC du Bassin burgien"],
            "Visites de convivialité et groupe d'aidants",
            "9000",
            received=current_opens + day(30),
            status="RETENUE",
            decided_on=current_decided,
        )
        _apply(
            manager,
            current,
            partners["CCAS de Villeurbanne"],
            "Ateliers numériques pour les seniors",
            "12000",
            received=current_opens + day(50),
            status="INSTRUITE",
            decided_on=None,
        )
        _apply(
            manager,
            current,
            partners["CCAS de Bourg-en-Bresse"],
            "Repas partagés de quartier",
            "6000",
            received=current_opens + day(70),
            status="DEPOSEE",
            decided_on=None,
        )
        counts["candidatures"] = 6

        def grant(application, grant_year, amount):
            counts["subventions"] += 1
            return services.grant_year(
                actor=manager,
                application=application,
                year=grant_year,
                convention=conventions[application.partner.name],
                amount=Decimal(amount),
            )

        def pay(grant_line, on, amount):
            counts["versements"] += 1
            services.record_payment(
                actor=manager, grant=grant_line, paid_on=on, amount=Decimal(amount)
            )

        admr_last_grant = grant(admr_last, year - 1, "12000")
        pay(admr_last_grant, last_decided + day(10), "6000")
        pay(admr_last_grant, last_decided + day(150), "6000")
        admr_grant = grant(admr, year, "10000")
        grant(admr, year + 1, "10000")  # pluriannuelle : l'année prochaine, rien de versé
        pay(admr_grant, current_decided + day(10), "5000")
        clic_grant = grant(clic, year, "7500")
        pay(clic_grant, current_decided + day(10), "3750")
        services.record_report(
            actor=manager,
            grant=admr_grant,
            data={
                "participants": 14,
                "sessions": 6,
                "comment": "Deux groupes à Bourg-en-Bresse ; une séance reportée (salle).",
                "received_on": max(today - day(3), datetime.date(year, 1, 1)),
            },
        )
        counts["bilans"] = 1
        grants = {"ADMR de l'Ain": admr_grant, "CLIC du Bassin burgien": clic_grant}
        for title, partner_name in FUNDED_ACTIONS.items():
            for action in GroupAction.objects.filter(
                organisation=organisation, title=title, departement_id="01"
            ).order_by("pk"):
                group_services.update_action(
                    actor=manager,
                    action=action,
                    data={"grant": grants[partner_name]},
                    facilitators=list(action.facilitators.all()),
                )
    return counts
