"""Les choix des modèles suivent les tables pures de rules/ (mêmes codes, mêmes libellés)."""

from parcours.core.nomenclatures import StatutOffre
from parcours.outreach.models import Referral
from parcours.rules import offers, referral_workflow, targeting


def test_referral_statuses_match_the_workflow_table():
    assert dict(Referral.Status.choices) == referral_workflow.LABELS


def test_offer_statuses_match_formats_and_rules():
    assert dict(StatutOffre.choices) == offers.LABELS


def test_targeting_catalogue_programmes_are_nomenclature_codes():
    from parcours.core.nomenclatures import Programme

    assert {spec.programme for spec in targeting.RULES.values()} <= set(Programme.values)
