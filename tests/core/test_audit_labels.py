"""Le journal d'audit nomme chaque type d'objet en français (``audit.object_type_labels``)."""

import re

from parcours.core import audit

#: Mots identiques en français et en anglais (et sigles) : le libellé peut être le nom de la classe.
SAME_IN_FRENCH = {
    "commune",
    "convention",
    "epci",
    "invitation",
    "orientation",
    "questionnaire",
    "question",
    "transmission",
}


def english_default(model) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", model.__name__).lower()


def test_every_model_declares_a_french_name():
    undeclared = [
        model._meta.label
        for model in audit.audited_models().values()
        if "verbose_name" not in model._meta.original_attrs
    ]
    assert undeclared == []


def test_no_audit_label_is_the_english_class_name():
    labels = audit.object_type_labels()
    english = {
        name: labels[name]
        for name, model in audit.audited_models().items()
        if labels[name].lower() == english_default(model) and name not in SAME_IN_FRENCH
    }
    assert english == {}


def test_labels_of_the_models_named_in_english_before():
    labels = audit.object_type_labels()
    assert {
        name: labels[name]
        for name in (
            "answer",
            "caseevent",
            "contactaction",
            "contactproblem",
            "instalment",
            "planline",
            "requestevent",
            "session",
        )
    } == {
        "answer": "Réponse à une question",
        "caseevent": "Événement de l'accompagnement",
        "contactaction": "Action d'un entretien",
        "contactproblem": "Problématique d'un entretien",
        "instalment": "Échéance de remboursement",
        "planline": "Ligne du plan d'aide",
        "requestevent": "Étape de la demande d'aide",
        "session": "Séance",
    }
