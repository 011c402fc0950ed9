"""L'annuaire de démonstration : dix-neuf partenaires de l'Ain et du Rhône, leurs
contacts et huit conventions (deux arrivent à échéance dans les 60 jours, une est expirée).
Déterministe ; écrit par les services de l'annuaire (journal compris), en quelques dizaines
d'écritures."""

import datetime
from decimal import Decimal

from django.db import transaction

from parcours.aid.models import Evaluation
from parcours.core import clock
from parcours.core.models import Commune, Departement, Organisation, Site, User
from parcours.core.nomenclatures import Fonction
from parcours.demo import orientations as demo_orientations
from parcours.demo import sharing as demo_sharing
from parcours.demo import subsidies as demo_subsidies
from parcours.partners import services
from parcours.partners.models import Convention, Partner, PartnerContact
from parcours.rules.partner_names import split_list

K = Partner.Kind

#: la convention d'évaluation pour le compte d'un autre organisme (demo/aid.py l'utilise)
ANGDM = "Caisse autonome nationale de la sécurité sociale dans les mines (ANGDM)"
ANGDM_OBJECT = "Évaluations des besoins pour le compte de l'ANGDM"

#: (type, nom, adresse, commune, départements couverts, SIRET, contacts)
PARTNERS = [
    (
        K.SANTE_TRAVAIL,
        "AST 01 – Santé au travail de l'Ain",
        "12 avenue de Lyon",
        "01053",
        ["01"],
        "",
        [("Dr Claire Vernay", "Médecin du travail", "04 74 45 10 10")],
    ),
    (
        K.SANTE_TRAVAIL,
        "AGEMETRA – Santé au travail Rhône",
        "10 rue des Archers",
        "69123",
        ["69"],
        "",
        [("Paul Giraud", "Infirmier en santé au travail", "04 72 10 20 30")],
    ),
    (
        K.CAP_EMPLOI,
        "Cap emploi Ain",
        "3 rue Paul Pioda",
        "01053",
        ["01"],
        "",
        [("Sandrine Morel", "Chargée de maintien dans l'emploi", "04 74 22 33 44")],
    ),
    (
        K.CAP_EMPLOI,
        "Cap emploi Rhône",
        "40 rue de la République",
        "69123",
        ["69"],
        "",
        [("Karim Benali", "Conseiller", "04 78 00 11 22")],
    ),
    (
        K.MDPH,
        "MDPH de l'Ain",
        "4 allée des Brotteaux",
        "01053",
        ["01"],
        "",
        [("Accueil MDPH", "", "04 74 32 58 80")],
    ),
    (
        K.MDPH,
        "Maison départementale-métropolitaine des personnes handicapées du Rhône",
        "146 rue Pierre Corneille",
        "69123",
        ["69"],
        "",
        [],
    ),
    (
        K.DEPARTEMENT,
        "Département de l'Ain – Direction de l'autonomie",
        "45 avenue Alsace-Lorraine",
        "01053",
        ["01"],
        "",
        [("Nathalie Perrin", "Responsable APA", "04 74 32 32 32")],
    ),
    (
        K.DEPARTEMENT,
        "Département du Rhône – Maison du Rhône de Villefranche",
        "20 rue Grenette",
        "69264",
        ["69"],
        "",
        [],
    ),
    (
        K.CCAS,
        "CCAS de Bourg-en-Bresse",
        "Place de l'Hôtel de Ville",
        "01053",
        ["01"],
        "",
        [("Martine Roux", "Directrice", "04 74 45 71 00")],
    ),
    (
        K.CCAS,
        "CCAS de Villeurbanne",
        "Place Lazare Goujon",
        "69266",
        ["69"],
        "",
        [("Hugo Lambert", "Travailleur social", "04 78 03 67 67")],
    ),
    (
        K.CLIC,
        "CLIC du Bassin burgien",
        "2 rue du Lycée",
        "01053",
        ["01"],
        "",
        [("Élise Fontaine", "Coordinatrice", "04 74 21 20 20")],
    ),
    (
        K.ETABLISSEMENT_SANTE,
        "Centre hospitalier de Fleyriat",
        "900 route de Paris",
        "01053",
        ["01"],
        "",
        [("Service social hospitalier", "Assistante sociale", "04 74 45 46 47")],
    ),
    (
        K.ASSOCIATION,
        "ADMR de l'Ain",
        "801 rue de la Source",
        "01053",
        ["01"],
        "",
        [("Jacques Besson", "Président", "04 74 23 20 00")],
    ),
    (K.BAILLEUR, "Dynacité", "390 boulevard du 8 mai 1945", "01004", ["01"], "", []),
    (
        K.FRANCE_SERVICES,
        "France Services de Belley (bureau de poste)",
        "Place des Terreaux",
        "01034",
        ["01"],
        "35600000049837",
        [("Lucie Martin", "Conseillère France Services", "04 79 81 00 00")],
    ),
    (K.SECURITE_SOCIALE, ANGDM, "", "", [], "", []),
    (
        K.ETABLISSEMENT_SANTE,
        "Centre de santé municipal de Vénissieux",
        "8 boulevard Laurent Gérin",
        "69259",
        ["69"],
        "",
        [],
    ),
    (
        K.SECURITE_SOCIALE,
        "CPAM du Rhône – service social",
        "276 cours Émile Zola",
        "69266",
        ["69"],
        "",
        [("Sophie André", "Cadre du service social", "36 46")],
    ),
    (
        K.PLATEFORME_ACCES_SOINS,
        "PFIDASS – CPAM de l'Ain",
        "1 place de la Grenouillère",
        "01053",
        ["01", "69"],
        "",
        [("Nadia Perrin", "Conseillère PFIDASS", "36 46")],
    ),
]

#: (nom du partenaire, objet, début (jours depuis aujourd'hui), fin (jours), prestations, prix)
CONVENTIONS = [
    (
        "CLIC du Bassin burgien",
        "Évaluations des besoins à domicile (plans d'aide retraite)",
        -300,
        25,
        "Évaluation globale au domicile",
        "120.00",
    ),
    (
        "ADMR de l'Ain",
        "Aide au retour à domicile après hospitalisation",
        -200,
        50,
        "Heures d'aide à domicile",
        "24.50",
    ),
    (
        "Centre hospitalier de Fleyriat",
        "Repérage des sorties d'hospitalisation fragiles",
        -400,
        -20,
        "Signalements des sorties",
        None,
    ),
    (
        "Cap emploi Ain",
        "Prévention de la désinsertion professionnelle",
        -100,
        265,
        "Cellule PDP départementale",
        None,
    ),
    (
        "AST 01 – Santé au travail de l'Ain",
        "Prévention de la désinsertion professionnelle",
        -100,
        265,
        "Visites de pré-reprise partagées",
        None,
    ),
    (
        "CCAS de Bourg-en-Bresse",
        "Ateliers bien vieillir",
        -30,
        335,
        "Mise à disposition de salles",
        None,
    ),
    (
        "Département de l'Ain – Direction de l'autonomie",
        "Transmission des évaluations GIR 1 à 4",
        -500,
        230,
        "Évaluations AGGIR partagées",
        None,
    ),
    (
        "CCAS de Villeurbanne",
        "Accès aux droits des retraités",
        10,
        375,
        "Permanences communes",
        None,
    ),
]


#: les lieux « permanence chez un partenaire » de demo/organisation.py et qui les accueille
HOSTED_SITES = {
    "Permanence France Services Belley": "France Services de Belley (bureau de poste)",
    "Permanence centre de santé Vénissieux": "Centre de santé municipal de Vénissieux",
}

#: ce qu'écrivent les autres démonstrations (actions collectives, signalements, accueil) et le
#: partenaire de l'annuaire qu'elles désignent, par département ; le reste reste en texte
ALIASES = {
    "01": {
        "Centre communal d'action sociale": "CCAS de Bourg-en-Bresse",
        "CCAS": "CCAS de Bourg-en-Bresse",
        "Cap emploi": "Cap emploi Ain",
        "service de prévention et de santé au travail": "AST 01 – Santé au travail de l'Ain",
        "Centre hospitalier": "Centre hospitalier de Fleyriat",
        "Service de santé au travail": "AST 01 – Santé au travail de l'Ain",
    },
    "69": {
        "Centre communal d'action sociale": "CCAS de Villeurbanne",
        "CCAS": "CCAS de Villeurbanne",
        "CPAM": "CPAM du Rhône – service social",
        "Cap emploi": "Cap emploi Rhône",
        "service de prévention et de santé au travail": "AGEMETRA – Santé au travail Rhône",
        "Service de santé au travail": "AGEMETRA – Santé au travail Rhône",
    },
}


def directory(organisation) -> dict[str, dict[str, Partner]]:
    """Par département, les textes des autres démonstrations et le partenaire qu'ils désignent."""
    by_name = {p.name: p for p in Partner.objects.filter(organisation=organisation)}
    return {
        dep: {text: by_name[name] for text, name in aliases.items() if name in by_name}
        for dep, aliases in ALIASES.items()
    }


def split(links: dict[str, Partner], text: str) -> tuple[list[Partner], str]:
    """Une liste écrite (« CPAM, mutuelles ») : les partenaires de l'annuaire qu'elle nomme et
    le texte de ceux qui n'y sont pas."""
    found, rest = [], []
    for name in split_list(text):
        partner = links.get(name)
        if partner is not None:
            found.append(partner)
        else:
            rest.append(name)
    return found, ", ".join(rest)


def reset(organisation) -> None:
    demo_subsidies.reset(organisation)  # elles tiennent aux partenaires et aux conventions
    demo_orientations.reset(organisation)  # les orientations désignent des partenaires
    demo_sharing.clear(organisation)  # les partages désignent des partenaires
    # les évaluations de démonstration sont refaites ensuite (demo/aid.py)
    Evaluation.objects.filter(organisation=organisation, convention__isnull=False).delete()
    Convention.objects.filter(partner__organisation=organisation).delete()
    PartnerContact.objects.filter(partner__organisation=organisation).delete()
    Partner.objects.filter(organisation=organisation).delete()


def generate(*, code: str = "carsat-demo") -> dict:
    organisation = Organisation.objects.get(code=code)
    today = clock.today()
    manager = User.objects.filter(organisation=organisation, function=Fonction.MANAGER).first()
    assert manager is not None, "la démonstration crée ses responsables avant l'annuaire"
    departements = {d.code: d for d in Departement.objects.filter(code__in=["01", "69"])}
    communes = {c.code: c for c in Commune.objects.filter(code__in={row[3] for row in PARTNERS})}
    by_name = {}
    with transaction.atomic():
        reset(organisation)
        for kind, name, address, commune, territories, siret, contacts in PARTNERS:
            partner = services.create_partner(
                actor=manager,
                organisation_id=organisation.pk,
                data={
                    "kind": kind,
                    "name": name,
                    "address": address,
                    "commune": communes.get(commune),
                    "siret": siret,
                    "active": True,
                },
                territories=[departements[d] for d in territories if d in departements],
                hosted_sites=Site.objects.filter(
                    organisation=organisation,
                    name__in=[site for site, host in HOSTED_SITES.items() if host == name],
                ),
            )
            by_name[name] = partner
            for contact_name, function, phone in contacts:
                services.create_contact(
                    actor=manager,
                    partner=partner,
                    data={"name": contact_name, "function": function, "phone": phone},
                )
        for name, obj, start, end, what, price in CONVENTIONS:
            partner = by_name[name]
            services.create_convention(
                actor=manager,
                partner=partner,
                data={
                    "object": obj,
                    "start": today + datetime.timedelta(days=start),
                    "end": today + datetime.timedelta(days=end),
                    "services": what,
                    "unit_price": None if price is None else Decimal(price),
                },
                territories=list(partner.territories.all()),
            )
        services.create_convention(
            actor=manager,
            partner=by_name[ANGDM],
            data={
                "object": ANGDM_OBJECT,
                "start": datetime.date(today.year - 1, 1, 1),
                "end": None,
                "services": "Évaluations globales des besoins (grille AGGIR), facturées à l'acte",
                "unit_price": Decimal("152.45"),
            },
        )
    return {"partenaires": len(PARTNERS), "conventions": len(CONVENTIONS) + 1}
