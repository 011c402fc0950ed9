"""Un GET n'écrit jamais : chaque adresse de l'application, ses paramètres remplacés par de
vrais objets (démonstration), ouverte par chaque rôle ; la base ne reçoit aucun INSERT, UPDATE
ou DELETE, sauf dans le journal d'audit (lectures en nombre journalisées), les sessions et la
tenue de django-axes.

Le contrôle est fait au niveau de la base : chaque requête SQL envoyée pendant le GET est lue.
"""

import datetime
import re
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

from parcours.aid import models as aid
from parcours.api import services as api_services
from parcours.api.models import ApiToken
from parcours.cases import models as cases
from parcours.core import clock
from parcours.core.models import AuditEntry, Organisation, Site, User
from parcours.core.models import Sector as CoreSector
from parcours.groups import models as groups
from parcours.groups import services as group_services
from parcours.outreach import models as outreach
from parcours.partners import models as partners
from parcours.people.models import Person
from parcours.privacy import models as privacy
from parcours.privacy.models import ExtractRun
from parcours.sharing import models as sharing
from parcours.sharing.services import orientations as orientation_services
from parcours.steering import models as steering
from tests.conftest import login_as

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")

#: Les tables où un GET peut écrire : le journal d'audit, les sessions, django-axes.
ALLOWED = {
    AuditEntry._meta.db_table,
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
}
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+[`"]?(\w+)', re.I)
TEMPORARY = re.compile(r'^\s*CREATE\s+TEMP(?:ORARY)?\s+TABLE\s+[`"]?(\w+)', re.I)
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")

#: Le segment d'adresse qui précède un identifiant : le modèle qu'il désigne.
SEGMENT_MODELS = {
    "personnes": Person,
    "accompagnements": cases.Case,
    "objectifs": cases.Objective,
    "rendez-vous": outreach.Appointment,
    "ciblages": outreach.TargetingRun,
    "signalements": outreach.Referral,
    "campagnes": outreach.Campaign,
    "offres": outreach.ServiceOffer,
    "actions": groups.GroupAction,
    "seances": groups.Session,
    "inscriptions": groups.Registration,
    "questionnaires": groups.Questionnaire,
    "invitations": groups.Invitation,
    "evaluations": aid.Evaluation,
    "demandes": aid.AidRequest,
    "indus": aid.Overpayment,
    "commissions": aid.CommissionSession,
    "versions": aid.Regulation,
    "aides": aid.Aid,
    "historique": steering.HistoryImport,
    "lieux": Site,
    "secteurs": CoreSector,
    "agents": User,
    "partenaires": partners.Partner,
    "contacts": partners.PartnerContact,
    "conventions": partners.Convention,
    "consentements": sharing.Consent,
    "appels": partners.ProjectCall,
    "candidatures": partners.Application,
    "subventions": partners.Grant,
    "parcours-partages": sharing.SharedPathway,
    "evaluations-partagees": sharing.EvaluationShare,
    "jetons-api": ApiToken,
    "orientations": sharing.Orientation,
    "extraits": ExtractRun,
    "traitements": privacy.Processing,
}
#: Les codes d'une adresse (``<str:code>``), par le segment qui les précède.
SEGMENT_CODES = {
    "regle": ["ARRET_LONG", "FRAGILITE", "PLUS_90_ANS"],
    "departements": ["01", "69"],
    "regions": ["84"],
}
#: Les valeurs des paramètres qui ne sont pas des identifiants.
VALUES = {
    "fmt": ["pdf", "csv", "xlsx", "json"],
    "document": ["ordre-du-jour", "proces-verbal"],
}


def patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def candidates(model, departements=("01", "69")):
    """Un objet par département (quand le modèle en a un), le plus petit d'abord : une campagne
    de peu d'offres plutôt que la plus grosse."""
    queryset = model.objects.order_by("pk")
    if model is outreach.Campaign:
        from django.db.models import Count

        queryset = queryset.annotate(n=Count("offers")).filter(n__gt=0).order_by("n", "pk")
    fields = {f.name for f in model._meta.get_fields()}
    if "departement" in fields:
        found = [queryset.filter(departement_id=d).first() for d in departements]
    else:
        found = list(queryset[:2])
    return [o for o in found if o is not None]


def nested(route):
    """Les paramètres qui dépendent l'un de l'autre : l'enfant choisit son parent."""
    if "<int:objective_pk>" in route:
        return [{"pk": o.case_id, "objective_pk": o.pk} for o in candidates(cases.Objective)]
    if "<int:overpayment_pk>" in route:
        return [{"pk": o.request_id, "overpayment_pk": o.pk} for o in candidates(aid.Overpayment)]
    if "<int:number>" in route:
        return [
            {"pk": i.request_id, "number": i.number}
            for i in aid.Instalment.objects.order_by("pk")[:2]
        ]
    if "<int:request_pk>" in route:
        return [
            {"pk": r.session_id, "request_pk": r.pk}
            for r in aid.AidRequest.objects.filter(session__isnull=False).order_by("pk")[:2]
        ]
    return None


def kwargs_list(route):
    """Les jeux de paramètres de ``route`` (liste vide : l'adresse n'a pas de paramètre)."""
    params = PARAM.findall(route)
    if not params:
        return [{}]
    found = nested(route)
    if found is not None:
        return found
    choices: dict[str, list] = {}
    for _converter, name in params:
        if name in VALUES:
            choices[name] = VALUES[name]
        elif name == "token" and "orientations/lien" in route:
            choices[name] = [
                orientation_services.make_token(o) for o in candidates(sharing.Orientation)
            ]
        elif name == "token":
            choices[name] = [group_services.make_token(i) for i in candidates(groups.Invitation)]
        elif name == "reference":  # l'API des partenaires : la référence d'un signalement
            choices[name] = [r.reference for r in candidates(outreach.Referral)]
        else:
            segment = route.split(f"<{_converter}:{name}>")[0].rstrip("/").split("/")[-1]
            if name == "questionnaire_pk":
                segment = "questionnaires"
            if name == "person_pk":
                segment = "personnes"
            if name == "code":
                choices[name] = SEGMENT_CODES[segment]
                continue
            model = SEGMENT_MODELS[segment]
            choices[name] = [o.pk for o in candidates(model)]
    width = max(len(v) for v in choices.values())
    return [
        {name: values[min(i, len(values) - 1)] for name, values in choices.items() if values}
        for i in range(width)
    ]


def url_of(route, kwargs):
    def fill(match):
        return str(kwargs[match.group(2)])

    return "/" + PARAM.sub(fill, route).lstrip("^").rstrip("$")


class Writes:
    """Les tables où la base reçoit un INSERT, UPDATE ou DELETE (hors ``ALLOWED`` et hors
    tables temporaires de calcul créées pendant la requête, qui disparaissent avec elle)."""

    def __init__(self):
        self.tables: set[str] = set()
        self.temporary: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        if match := TEMPORARY.match(sql):
            self.temporary.add(match.group(1))
        elif (match := WRITE.match(sql)) and match.group(1) not in ALLOWED | self.temporary:
            self.tables.add(match.group(1))
        return execute(sql, params, many, context)


def get(client, url):
    """(réponse, tables écrites) du GET de ``url``."""
    writes = Writes()
    with connection.execute_wrapper(writes):
        response = client.get(url)
    return response, sorted(writes.tables)


@pytest.fixture
def demo():
    with clock.frozen(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=PARIS)):
        call_command("demo", personnes=60, stdout=open("/dev/null", "w"))  # noqa: SIM115
        organisation = Organisation.objects.order_by("pk").first()
        partner = partners.Partner.objects.filter(organisation=organisation).first()
        api_services.issue_token(
            actor=None, organisation=organisation, partner=partner, scopes=["rapports:lire"]
        )
        yield


def test_every_get_as_every_role_writes_nothing(client, demo):
    staff = {u.username: u for u in User.objects.all()}
    roles = {
        "assistante sociale": staff["as.ain"],
        "accueil": staff["csam.ain"],
        "secrétariat": staff["secretaire.rhone"],
        "responsable": staff["manager.ain"],
        "pilotage": staff["pilotage"],
        "administrateur": staff["admin"],
        "délégué·e à la protection des données": staff["dpo"],
    }
    routes = [r for r in patterns() if "deconnexion" not in r]
    assert len(routes) > 100
    urls = [url_of(r, kwargs) for r in routes for kwargs in kwargs_list(r)]
    assert not any("<" in u for u in urls)
    problems = []
    with clock.frozen(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=PARIS)):
        for role, user in [*roles.items(), ("anonyme", None)]:
            client.logout()
            if user is not None:
                login_as(client, user)
            for url in urls:
                response, touched = get(client, url)
                assert response.status_code < 500, (role, url)
                if touched:
                    problems.append((role, url, touched))
        # Un administrateur qui n'a pas encore de second facteur : la page d'activation.
        newcomer = User.objects.create_user(
            username="nouvel.admin", organisation=staff["admin"].organisation, is_org_admin=True
        )
        client.logout()
        client.force_login(newcomer, backend="django.contrib.auth.backends.ModelBackend")
        for url in ("/compte/second-facteur/", "/compte/", "/"):
            _response, touched = get(client, url)
            if touched:
                problems.append(("nouvel administrateur", url, touched))
    assert problems == [], "\n".join(map(str, problems))
