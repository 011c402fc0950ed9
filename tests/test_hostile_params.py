"""Chaque adresse de l'application, pour chaque rôle qui l'atteint, reçoit des paramètres
hostiles (année 0, -1, 10000, date du 31/02, page -1, identifiant non numérique…) : jamais de
500 ; une 400 répond en français et nomme ce qui est refusé.

Les paramètres de chemin sont ceux d'objets réels de la démonstration (``parcours demo``).
"""

import datetime
import zoneinfo
from html import unescape
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from parcours.core import clock
from parcours.core.models import User
from tests.conftest import login_as

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")

ROLES = ["as.ain", "csam.ain", "secretaire.rhone", "manager.ain", "pilotage", "admin", "dpo"]

YEARS = ["0", "-1", "10000", "abc", "1899", "2101", "２０２６", "9" * 40]
DATES = ["31/02/2026", "2026-13-01", "2026-02-30", "9" * 40, "0001-01-01", "31/12/9999", "x"]
PAGES = ["-1", "abc", "99999", "0", "9" * 40]
IDS = ["abc", "-1", "0", "1e3", "²", "9" * 40]
DATE_NAMES = ["semaine", "start", "end", "du", "au"]
ID_NAMES = ["as", "lieu", "personne", "doublon", "ciblage", "seance", "action", "referent"]
ID_NAMES += ["person_id", "actor", "accompagnement", "entretien", "accueil", "partenaire"]
TEXT_NAMES = ["etat", "programme", "indicateur", "chiffre", "territoire", "object_type"]
TEXT_NAMES += ["fonction", "departement", "inactifs", "relance", "inscription", "merci"]
TEXT_NAMES += ["annulation", "action", "next", "q", "type", "basis", "consent"]


def hostile_queries():
    """Une requête par (paramètre, valeur) : un refus n'en masque pas un autre."""
    queries = [{"annee": v} for v in YEARS]
    queries += [{"annee": v, "territoire": "organisme"} for v in YEARS[:3]]
    queries += [{name: v} for name in DATE_NAMES for v in DATES]
    queries += [{"page": v} for v in PAGES]
    queries += [{name: v} for name in ID_NAMES for v in IDS]
    queries += [{name: v} for name in TEXT_NAMES for v in ("zz'\"<x>", "2")]
    queries += [{"next": "https://ailleurs.example/"}]
    return queries


ALL_NAMES = {name for query in hostile_queries() for name in query}


class RecordingQueryDict(QueryDict):
    """``request.GET`` qui note les paramètres que la vue lit."""

    def __init__(self, *args, **kwargs):
        self.read = set()
        super().__init__(*args, **kwargs)
        self.read.clear()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)


READ_BY_URL = {}


class RecordParametersRead:
    """Note, par adresse, les paramètres d'adresse lus par la vue."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        recorder = RecordingQueryDict(request.META.get("QUERY_STRING", ""))
        request.GET = recorder
        response = self.get_response(request)
        READ_BY_URL.setdefault(request.path, set()).update(recorder.read)
        return response


def url_patterns(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "api-v1":
                continue  # l'API des partenaires : paramètres hostiles par schemathesis (tests/api)
            yield from url_patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield p


def _first(model, **filters):
    queryset = model.objects.filter(**filters).order_by("pk")
    if any(f.name == "departement" for f in model._meta.get_fields()):
        local = queryset.filter(departement_id="01")
        if local.exists():
            return local.first()
    return queryset.first()


def path_objects():
    """Nom d'URL → arguments de chemin, pris sur des objets de la démonstration."""
    from parcours.aid import models as aid
    from parcours.api.models import ApiToken
    from parcours.cases import models as cases
    from parcours.core import models as core
    from parcours.groups import models as groups
    from parcours.groups.services import make_token
    from parcours.outreach import models as outreach
    from parcours.partners import models as partners
    from parcours.people.models import Person
    from parcours.privacy.models import ExtractRun, Processing
    from parcours.sharing import models as sharing
    from parcours.steering.models import HistoryImport

    def pk(obj):
        return obj.pk if obj is not None else 999_999

    person = _first(Person)
    case = _first(cases.Case, state="ouvert")
    objective = _first(cases.Objective, case=case) or _first(cases.Objective)
    action = _first(groups.GroupAction)
    session = _first(groups.Session, action=action) or _first(groups.Session)
    questionnaire = _first(groups.Questionnaire)
    invitation = _first(groups.Invitation)
    registration = _first(groups.Registration)
    request = _first(aid.AidRequest)
    overpayment = _first(aid.Overpayment)
    commission = _first(aid.CommissionSession)
    regulation = _first(aid.Regulation)
    token = make_token(invitation) if invitation else "1-1-x"
    orientation = _first(sharing.Orientation)
    from parcours.sharing.services.orientations import make_token as orientation_token

    orientation_link = orientation_token(orientation) if orientation else "x-1-x"
    by_name = {
        "objectif-etat": [pk(objective.case if objective else case), pk(objective)],
        "collectif-relances": [pk(action), pk(questionnaire)],
        "collectif-questionnaires-papier": [pk(session), pk(questionnaire)],
        "collectif-saisie": [pk(invitation), pk(questionnaire)],
        "collectif-lien": [token],
        "orientation-lien": [orientation_link],
        "collectif-lien-questionnaire": [token, pk(questionnaire)],
        "aide-remboursement": [pk(request), 1],
        "aide-recouvrement": [pk(request), pk(overpayment)],
        "aide-commission-decision": [pk(commission), pk(request)],
        "aide-commission-pdf": [pk(commission), "ordre-du-jour"],
        "pilotage-export": ["json"],
        "subventions-export": ["xlsx"],
        "ciblage-regle-code": ["FRAGILITE"],
        "observatoire-departement": ["01"],
        "observatoire-departement-export": ["01", "csv"],
        "observatoire-region": ["84"],
        "administration-agent": [pk(User.objects.get(username="as.ain"))],
        "administration-agent-desactivation": [pk(User.objects.get(username="as2.ain"))],
        "administration-agent-reactivation": [pk(User.objects.get(username="as2.ain"))],
    }
    by_prefix = [  # le plus long préfixe d'abord
        ("rendez-vous-nouveau", person),
        ("rendez-vous", _first(outreach.Appointment)),
        ("premier-creneau", person),
        ("demande-nouvelle", person),
        ("personne", person),
        ("accompagnement-nouveau", person),
        ("accompagnement", case),
        ("entretien", case),
        ("synthese", case),
        ("objectif", case),
        ("note-privee", case),
        ("cloture", case),
        ("reouverture", case),
        ("reaffectation", case),
        ("ciblage", _first(outreach.TargetingRun)),
        ("signalement", _first(outreach.Referral)),
        ("campagne", _first(outreach.Campaign)),
        ("offre", _first(outreach.ServiceOffer)),
        ("collectif-seance-nouvelle", action),
        ("collectif-seance", session),
        ("collectif-inscrire", session),
        ("collectif-nouveau-participant", session),
        ("collectif-presences", session),
        ("collectif-emargement", session),
        ("collectif-annuler", registration),
        ("collectif-accompagnement", registration),
        ("collectif-questionnaire", questionnaire),
        ("collectif-", action),
        ("aides-personne", person),
        ("aide-evaluation-nouvelle", person),
        ("aide-demande-nouvelle", person),
        ("aide-evaluation", _first(aid.Evaluation)),
        ("aide-transmission", _first(aid.Evaluation)),
        ("aide-commission", commission),
        ("aides-version-suivante", regulation),
        ("aides-aide-nouvelle", regulation),
        ("aides-aide-edition", _first(aid.Aid)),
        ("aide-", request),
        ("pilotage-historique", _first(HistoryImport)),
        ("personne-partages", person),
        ("consentement-nouveau", person),
        ("consentement-retirer", _first(sharing.Consent)),
        ("appel", _first(partners.ProjectCall)),
        ("candidature", _first(partners.Application)),
        ("subvention", _first(partners.Grant)),
        ("versement", _first(partners.Grant)),
        ("bilan", _first(partners.Grant)),
        ("parcours-partage-nouveau", person),
        ("parcours-partage", _first(sharing.SharedPathway)),
        ("evaluation-partager", _first(aid.Evaluation)),
        ("evaluation-partagee", _first(sharing.EvaluationShare)),
        ("droit-acces-export", person),
        ("orientation-nouvelle", person),
        ("orientation-categories", person),
        ("orientation-cloturer", orientation),
        ("orientation", orientation),
        ("partenaire-orientations", _first(partners.Partner)),
        ("partenaire-contact-modifier", _first(partners.PartnerContact)),
        ("partenaire-convention-modifier", _first(partners.Convention)),
        ("partenaire", _first(partners.Partner)),
        ("administration-lieu", _first(core.Site)),
        ("administration-secteur", _first(core.Sector)),
        ("api-jeton", _first(ApiToken)),
        ("rgpd-extrait", _first(ExtractRun)),
        ("protection-donnees-traitement", _first(Processing)),
    ]
    return by_name, by_prefix


def reverse_with_objects(pattern, by_name, by_prefix):
    names = list(pattern.pattern.converters)
    if not names:
        return reverse(pattern.name)
    if pattern.name in by_name:
        return reverse(pattern.name, args=by_name[pattern.name])
    for prefix, obj in by_prefix:
        if pattern.name.startswith(prefix):
            assert len(names) == 1, pattern.name
            return reverse(pattern.name, args=[obj.pk if obj is not None else 999_999])
    raise AssertionError(f"Adresse sans objet de démonstration : {pattern.name}")


@pytest.fixture
def demo(call):
    with clock.frozen(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=PARIS)):
        call("demo", personnes=40, seed=5)
        yield


def _clients():
    anonymous = Client()
    yield "anonyme", anonymous
    for username in ROLES:
        yield username, login_as(Client(), User.objects.get(username=username))


def test_no_url_answers_500_to_hostile_parameters(demo, settings):
    """Chaque adresse est d'abord demandée avec tous les paramètres connus (vides) pour savoir
    lesquels sa vue lit ; chacun de ceux-là reçoit ensuite chaque valeur hostile."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.RecordParametersRead"]
    by_name, by_prefix = path_objects()
    urls = {p.name: reverse_with_objects(p, by_name, by_prefix) for p in url_patterns()}
    assert len(urls) > 120
    probe = urlencode(dict.fromkeys(sorted(ALL_NAMES), ""))
    failures, refused, reached, tried = [], 0, set(), 0
    for role, client in _clients():
        for name, url in urls.items():
            if name in {"deconnexion", "sante"}:
                continue
            READ_BY_URL.pop(url, None)
            plain = client.get(f"{url}?{probe}")
            method = client.get
            if plain.status_code == 405:
                method = client.post
                plain = client.post(f"{url}?{probe}")
            if plain.status_code == 500:
                failures.append((role, f"{url}?{probe}"))
            if plain.status_code != 200:
                continue  # ce rôle n'atteint pas cette adresse (404, redirection)
            reached.add(name)
            read = READ_BY_URL.get(url, set())
            for query in hostile_queries():
                if not read & set(query):
                    continue
                tried += 1
                response = method(f"{url}?{urlencode(query)}")
                if response.status_code == 500:
                    failures.append((role, f"{url}?{urlencode(query)}"))
                elif response.status_code == 400:
                    refused += 1
                    html = unescape(response.content.decode())
                    assert "Demande invalide" in html and 'lang="fr"' in html, url
    assert failures == []
    assert len(reached) > 60, sorted(set(urls) - reached)
    assert tried > 300 and refused > 200, (tried, refused)
