"""Les indicateurs de pilotage, définis dans le code (domaine.md §10).

Chaque indicateur : un code, un libellé et une définition en français, une unité, un sens
(``hausse`` : plus haut est mieux ; ``baisse`` : plus bas est mieux) et la fonction qui le
calcule pour un territoire et une année. La plupart se lisent dans le rapport d'activité de
l'année (mêmes règles de comptage) ; les autres font leur propre agrégat SQL. Une valeur
``None`` veut dire « pas de donnée » (aucun enregistrement, dénominateur nul).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.db.models.functions import TruncDate

from parcours.core.models import User
from parcours.core.nomenclatures import Fonction
from parcours.rules import report as rules
from parcours.rules.indicators import HIGHER, LOWER
from parcours.rules.timers import APPOINTMENT_DELAY_DAYS

COUNT, PERCENT, RATIO, DAYS = "personnes", "%", "par ETP", "jours"
COUNTS = {COUNT, "entretiens", "offres"}  # unités d'un compte d'enregistrements


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    definition: str
    unit: str
    direction: str
    compute: Callable  # (document, scope) -> Decimal | None
    #: chiffre du détail (``drilldown``) dont la liste est exactement ce que compte l'indicateur :
    #: seulement pour un compte (un ratio, une part ou une durée n'est pas une liste)
    figure: str = ""

    def __post_init__(self):
        if self.figure and self.unit not in COUNTS:
            raise ValueError(f"{self.code} : un {self.unit} ne se détaille pas en liste")


def _d(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value))


def _ratio(numerator: int, denominator: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def as_fte(scope) -> Decimal:
    """ETP des AS actives du territoire (agents rattachés à l'un de ses départements)."""
    staff = User.objects.filter(
        organisation_id=scope.organisation_id, function=Fonction.AS, is_active=True
    )
    if scope.territory.departements is not None:
        staff = staff.filter(
            pk__in=User.objects.filter(departements__code__in=scope.territory.departements).values(
                "pk"
            )
        )
    return staff.aggregate(fte=Sum("fte"))["fte"] or Decimal(0)


def appointment_within_15_days(document, scope) -> Decimal | None:
    """Part des demandes reçues dans l'année ayant un rendez-vous au plus 15 jours après."""
    from parcours.outreach.models import Appointment, AppointmentRequest

    first, last = scope.bounds
    requests = AppointmentRequest.objects.filter(
        Q(organisation_id=scope.organisation_id, received_on__gte=first, received_on__lte=last)
        & scope.dep_filter("departement_id")
    ).exclude(status=AppointmentRequest.Status.ANNULEE)
    answered = (
        Appointment.objects.annotate(day=TruncDate("starts_at"))
        .annotate(
            delay=ExpressionWrapper(
                F("day") - F("request__received_on"), output_field=DurationField()
            )
        )
        .filter(request=OuterRef("pk"), delay__lte=timedelta(days=APPOINTMENT_DELAY_DAYS))
    )
    counts = {"total": requests.count(), "within": requests.filter(Exists(answered)).count()}
    if not counts["total"]:
        return None
    return _d(rules.pct(counts["within"], counts["total"]))


def referred_to_care_platform(document, scope) -> Decimal:
    """Personnes distinctes orientées dans l'année vers une plateforme d'accès aux soins
    (partenaire de type ``PLATEFORME_ACCES_SOINS`` : PFIDASS, MisAS) ; département de l'envoi."""
    from parcours.partners.models import Partner
    from parcours.steering.report.orientations import orientations_of_year

    people = (
        orientations_of_year(scope)
        .filter(partner__kind=Partner.Kind.PLATEFORME_ACCES_SOINS)
        .values("person")
        .distinct()
        .count()
    )
    return Decimal(people)


def _individual(document) -> int:
    p = document["personnes"]
    return p["individuel_seul"] + p["individuel_et_collectif"]


def _collective(document) -> int:
    p = document["personnes"]
    return p["collectif_seul"] + p["individuel_et_collectif"]


def _offers_rate(document, scope):
    o = document["offres"]
    return _d(o["taux_pct"]) if o["envoyees"] else None


def _pdp_share(outcome):
    def compute(document, scope):
        pdp = document["pdp"]
        return _d(pdp["issues_pct"][outcome]) if pdp["clotures"] else None

    return compute


def processing_times(scope):
    """Délais de traitement des aides décidées dans l'année sur le territoire (département de
    la demande) : ``aid.queries.processing_days`` et ``rules.aid_workflow.processing_times``
    (médiane, part en 40 jours au plus, 8e et 9e déciles) ; calculés une fois par scope."""
    from parcours.aid.queries import processing_days
    from parcours.rules.aid_workflow import processing_times as times

    if "aid_times" not in scope.cache:
        first, last = scope.bounds
        scope.cache["aid_times"] = times(
            processing_days(
                scope.organisation_id, first, last, departements=scope.territory.departements
            )
        )
    return scope.cache["aid_times"]


def _aid_time(attribute):
    def compute(document, scope):
        result = processing_times(scope)
        if not result.count:
            return None
        return _d(getattr(result, attribute))

    return compute


def budget_execution(document, scope) -> Decimal | None:
    """Montants payés dans l'année rapportés aux dotations des lignes budgétaires de l'année
    (``aid.queries.budget_status``). Le budget est celui de l'organisme : sans valeur pour une
    région ou un département, ni sans dotation."""
    from parcours.aid.queries import budget_status

    if scope.territory.departements is not None:
        return None
    rows = budget_status(scope.organisation_id, scope.year)
    allocated = sum((r["line"].allocated for r in rows), Decimal(0))
    if not allocated:
        return None
    paid = sum((r["paid"] for r in rows), Decimal(0))
    return (paid * 100 / allocated).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


INDICATORS = [
    Indicator(
        "PERS.IND",
        "Personnes aidées individuellement",
        "Personnes distinctes ayant eu au moins un entretien daté dans l'année sur le territoire.",
        COUNT,
        HIGHER,
        lambda d, s: Decimal(_individual(d)),
        "personnes_individuel",
    ),
    Indicator(
        "PERS.COL",
        "Personnes aidées collectivement",
        "Personnes distinctes présentes à au moins une séance collective datée dans l'année.",
        COUNT,
        HIGHER,
        lambda d, s: Decimal(_collective(d)),
        "personnes_collectif",
    ),
    Indicator(
        "ENT.FAF",
        "Entretiens en face à face",
        "Entretiens de l'année en réception, accueil, permanence, visite à domicile ou rencontre.",
        "entretiens",
        HIGHER,
        lambda d, s: Decimal(d["entretiens"]["face_a_face"]),
        "face_a_face",
    ),
    Indicator(
        "ENT.TEL",
        "Entretiens par téléphone",
        "Entretiens de l'année par téléphone.",
        "entretiens",
        HIGHER,
        lambda d, s: Decimal(d["entretiens"]["par_mode"]["TELEPHONE"]),
        "mode:TELEPHONE",
    ),
    Indicator(
        "VAD.ETP",
        "Visites à domicile par AS (ETP)",
        "Visites à domicile de l'année divisées par les ETP des AS actives du territoire "
        "(objectif de l'organisme : 300 par an).",
        RATIO,
        HIGHER,
        lambda d, s: _ratio(d["entretiens"]["par_mode"]["VAD"], as_fte(s)),
    ),
    Indicator(
        "FILE.ETP",
        "File active par AS (ETP)",
        "Personnes ayant eu au moins un entretien dans l'année, divisées par les ETP des AS.",
        RATIO,
        HIGHER,
        lambda d, s: _ratio(_individual(d), as_fte(s)),
    ),
    Indicator(
        "SER.PSB.05.01",
        "Rendez-vous dans les 15 jours",
        "Part des demandes reçues dans l'année (hors annulées) ayant un rendez-vous au plus "
        "15 jours après la demande.",
        PERCENT,
        HIGHER,
        appointment_within_15_days,
    ),
    Indicator(
        "ACC.APF.06.01",
        "Orientations vers la plateforme d'accès aux soins",
        "Personnes distinctes orientées dans l'année vers la plateforme d'accès aux soins de "
        "l'Assurance maladie (PFIDASS / MisAS : partenaire de ce type dans l'annuaire).",
        COUNT,
        HIGHER,
        referred_to_care_platform,
    ),
    Indicator(
        "OFF.ENV",
        "Offres de service envoyées",
        "Offres dont la date d'envoi est dans l'année.",
        "offres",
        HIGHER,
        lambda d, s: Decimal(d["offres"]["envoyees"]),
        "offres",
    ),
    Indicator(
        "OFF.TAUX",
        "Offres suivies d'une intervention",
        "Part des offres envoyées dans l'année suivies d'un entretien ou d'une présence à une "
        "séance dans les 90 jours.",
        PERCENT,
        HIGHER,
        _offers_rate,
    ),
    Indicator(
        "EFF.PRE.08.01",
        "Personnes accompagnées en PDP",
        "Personnes distinctes ayant eu un entretien dans l'année dans un accompagnement PDP.",
        COUNT,
        HIGHER,
        lambda d, s: Decimal(d["pdp"]["accompagnes"]),
        "pdp_accompagnes",
    ),
    Indicator(
        "PDP.MAINTIEN",
        "PDP : maintien dans l'emploi",
        "Part des accompagnements PDP clos dans l'année avec l'issue « maintien dans l'emploi ».",
        PERCENT,
        HIGHER,
        _pdp_share("MAINTIEN_EMPLOI"),
    ),
    Indicator(
        "PDP.DUREE",
        "PDP : durée moyenne des accompagnements clos",
        "Moyenne, en mois (jours / 30,4375), de la durée des accompagnements PDP clos "
        "dans l'année.",
        "mois",
        LOWER,
        lambda d, s: _d(d["pdp"]["duree_moyenne_mois"]) if d["pdp"]["clotures"] else None,
    ),
    Indicator(
        "AID.DELAI.MED",
        "Aides : délai médian de traitement",
        "Médiane du délai, en jours, entre la demande complète et la décision, pour les aides "
        "décidées dans l'année (département de la demande).",
        DAYS,
        LOWER,
        _aid_time("median"),
    ),
    Indicator(
        "AID.DELAI.40J",
        "Aides : demandes traitées en 40 jours au plus",
        "Part des aides décidées dans l'année au plus 40 jours après la demande complète.",
        PERCENT,
        HIGHER,
        _aid_time("share_within_40_days"),
    ),
    Indicator(
        "AID.DELAI.D8",
        "Aides : 8e décile du délai de traitement",
        "8e décile du délai, en jours, entre la demande complète et la décision (aides décidées "
        "dans l'année).",
        DAYS,
        LOWER,
        _aid_time("decile_8"),
    ),
    Indicator(
        "AID.DELAI.D9",
        "Aides : 9e décile du délai de traitement",
        "9e décile du délai, en jours, entre la demande complète et la décision (aides décidées "
        "dans l'année).",
        DAYS,
        LOWER,
        _aid_time("decile_9"),
    ),
    Indicator(
        "AID.BUDGET",
        "Aides : exécution du budget",
        "Montants payés dans l'année rapportés aux dotations des lignes budgétaires de l'année "
        "(budget de l'organisme : sans valeur pour une région ou un département).",
        PERCENT,
        HIGHER,
        budget_execution,
    ),
]
BY_CODE = {i.code: i for i in INDICATORS}
