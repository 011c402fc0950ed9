"""Chaque formulaire du produit : listes sans « --------- », champs téléphone vérifiés."""

import datetime
import importlib
import inspect
import pkgutil
from types import SimpleNamespace

import pytest
from django import forms

import parcours
from parcours.core.forms import EMPTY_LABEL, PhoneField
from parcours.core.models import Site, User
from tests.factories import UserFactory, make_case, make_person
from tests.groups.factories import make_action

pytestmark = pytest.mark.django_db


class Code(str):
    """Un code de département qui sert aussi d'objet (``.code``) : les formulaires reçoivent
    l'un ou l'autre."""

    @property
    def code(self) -> str:
        return str(self)


def every_form_class() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(parcours.__path__, "parcours."):
        if module.name.rsplit(".", 1)[-1] in {"forms", "admin_forms"}:
            importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            concrete = sub.__module__ != "parcours.core.forms" and "Mixin" not in sub.__name__
            if sub.__module__.startswith("parcours.") and concrete:
                found.add(sub)
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


@pytest.fixture
def kwargs_by_name(org):
    from parcours.aid.models import Aid, CommissionSession, Evaluation
    from parcours.groups.models import GroupAction
    from parcours.outreach.models import AppointmentRequest
    from parcours.partners.models import Convention, Partner

    user = UserFactory(organisation=org, departements=["01"], social_worker=True)
    person = make_person(org=org, actor=user)
    case = make_case(person=person, referent=user)
    action = make_action(org=org, actor=user)
    sites = Site.objects.filter(organisation=org)
    from parcours.core.models import Organisation
    from parcours.rules.sharing import CATEGORIES
    from parcours.sharing.services.consents import record_consent
    from tests.partners.factories import make_partner

    consent = record_consent(
        actor=user,
        person=person,
        categories=list(CATEGORIES),
        purpose="Parcours",
        given_on=datetime.date(2026, 1, 5),
        method="ECRIT",
        given_by="PERSONNE",
        partners=[make_partner(org=org, actor=user)],
    )
    return {
        "person": person,
        "user": user,
        "case": case,
        "organisation_id": org.pk,
        "organisation": org,
        "departements": [Code("01"), Code("69")],
        "territories": [],
        "today": datetime.date(2026, 6, 1),
        "requests": AppointmentRequest.objects.all(),
        "social_workers": User.objects.all(),
        "workers": User.objects.all(),
        "staff": User.objects.all(),
        "sites": sites,
        "conventions": Convention.objects.all(),
        "source": SimpleNamespace(pk=0),
        "partners": Partner.objects.all(),
        "aids": Aid.objects.all(),
        "evaluations": Evaluation.objects.all(),
        "sessions": CommissionSession.objects.all(),
        "actions": GroupAction.objects.all(),
        "action": action,
        "questionnaire": SimpleNamespace(questions=SimpleNamespace(all=list)),
        "options_of": lambda q: [],
        "editing": None,
        "choices": [],
        "consent": consent,
        "consents": [consent],
        "referents": User.objects.all(),
        "organisations": Organisation.objects.exclude(pk=org.pk),
        "pathway": SimpleNamespace(
            consent=consent,
            organisations=Organisation.objects.none(),
            partners=Partner.objects.none(),
        ),
    }


def build(form_class, kwargs_by_name):
    needed = {
        name: kwargs_by_name[name]
        for cls in form_class.__mro__
        if "__init__" in vars(cls) and cls.__module__.startswith("parcours.")
        for name, p in inspect.signature(cls.__init__).parameters.items()
        if p.kind is p.KEYWORD_ONLY and (p.default is p.empty or name in kwargs_by_name)
    }
    return form_class(**needed)


def test_every_form_is_found():
    names = {f"{c.__module__}.{c.__name__}" for c in every_form_class()}
    assert "parcours.people.forms.PersonForm" in names
    assert "parcours.core.admin_forms.StaffForm" in names
    assert "parcours.core.forms.LoginForm" not in names  # connexion : rien à choisir
    assert len(names) >= 55


def test_no_form_shows_django_dashes(kwargs_by_name):
    shown = {}
    for form_class in every_form_class():
        html = str(build(form_class, kwargs_by_name))
        if "---------" in html:
            shown[form_class.__name__] = html[html.index("---------") - 200 :][:300]
    assert shown == {}


def test_person_form_prompts_in_french(kwargs_by_name):
    from parcours.people.forms import PersonForm

    html = str(build(PersonForm, kwargs_by_name))
    assert f">{EMPTY_LABEL}</option>" in html
    assert html.count(EMPTY_LABEL) >= 5  # département, canal, situation, logement, emploi…


def test_every_phone_field_is_checked(kwargs_by_name):
    phones = {
        f"{form_class.__name__}.{name}": type(field)
        for form_class in every_form_class()
        for name, field in build(form_class, kwargs_by_name).fields.items()
        if "phone" in name or "telephone" in name
    }
    assert len(phones) >= 4
    assert {name: cls for name, cls in phones.items() if cls is not PhoneField} == {}


def test_a_phone_like_abc_is_refused_in_french_and_a_good_one_is_normalised():
    from parcours.groups.forms import NewParticipantForm
    from parcours.rules.phone import MESSAGE

    data = {"last_name": "Durand", "first_names": "Léa", "sex": "F"}
    data |= {"birth_date": "1960-04-02", "relation": "PERSONNE"}
    form = NewParticipantForm(data | {"phone": "abc"})
    assert not form.is_valid()
    assert form.errors["phone"] == [MESSAGE]
    form = NewParticipantForm(data | {"phone": "+33 6.12.34.56.78"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "06 12 34 56 78"
    assert NewParticipantForm(data | {"phone": ""}).is_valid()


@pytest.mark.parametrize(
    ("start", "end", "error"),
    [
        ("14:00", "13:59", "L'heure de fin doit être après l'heure de début."),
        ("14:00", "14:00", "L'heure de fin doit être après l'heure de début."),
        ("14:00", "14:01", None),
        ("14:00", "", None),
    ],
)
def test_a_group_session_cannot_end_before_it_starts(kwargs_by_name, start, end, error):
    from parcours.groups.forms import SessionForm

    data = {"date": "2099-03-10", "start_time": start, "end_time": end, "capacity": "10"}
    form = SessionForm(
        data | {"partner_place": "Salle"},
        action=kwargs_by_name["action"],
        user=kwargs_by_name["user"],
    )
    form.is_valid()
    assert form.errors.get("end_time") == ([error] if error else None)


@pytest.mark.parametrize(
    ("form_name", "start", "end", "data"),
    [
        ("parcours.aid.forms.RegulationForm", "starts_on", "ends_on", {"label": "Règlement"}),
        ("parcours.core.admin_forms.AuditFilterForm", "start", "end", {}),
    ],
)
def test_a_date_range_cannot_end_before_it_starts(kwargs_by_name, form_name, start, end, data):
    module, name = form_name.rsplit(".", 1)
    form_class = getattr(importlib.import_module(module), name)
    message = "La date de fin ne peut pas précéder la date de début."
    for end_on, errors in (("2026-04-30", [message]), ("2026-05-01", None), ("", None)):
        form = build_bound(form_class, kwargs_by_name, data | {start: "2026-05-01", end: end_on})
        form.is_valid()
        assert form.errors.get(end) == errors


def test_a_permanence_cannot_end_before_it_starts(kwargs_by_name):
    from parcours.outreach.forms import PermanenceForm

    user = kwargs_by_name["user"]
    data = {"staff": user.pk, "weekday": "1", "slot_minutes": "45", "mode": "RECEPTION_RDV"}
    form = build_bound(PermanenceForm, kwargs_by_name, data | {"start": "09:00", "end": "08:30"})
    assert not form.is_valid()
    assert form.errors["end"] == ["L'heure de fin doit être après l'heure de début."]


def build_bound(form_class, kwargs_by_name, data):
    unbound = build(form_class, kwargs_by_name)
    needed = {k: v for k, v in kwargs_by_name.items() if k in _keywords(form_class)}
    assert unbound.fields
    return form_class(data, **needed)


def _keywords(form_class):
    return {
        name
        for cls in form_class.__mro__
        if "__init__" in vars(cls) and cls.__module__.startswith("parcours.")
        for name, p in inspect.signature(cls.__init__).parameters.items()
        if p.kind is p.KEYWORD_ONLY
    }


def test_the_campaign_number_may_be_a_short_service_number(kwargs_by_name):
    from parcours.outreach.forms import CampaignForm
    from parcours.rules.phone import SHORT_MESSAGE

    for raw, written, errors in (("39 60", "39 60", None), ("abc", None, [SHORT_MESSAGE])):
        form = build_bound(CampaignForm, kwargs_by_name, {"phone": raw})
        form.is_valid()
        assert form.errors.get("phone") == errors
        assert form.cleaned_data.get("phone") == written
