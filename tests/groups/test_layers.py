"""Les actions collectives sous la Détection : aucun import de ``outreach`` ; l'acceptation des
offres passe par un crochet d'inscription explicite, appelé dans la transaction."""

import ast
import pathlib
import re

import pytest

from parcours.groups import services
from parcours.groups.models import Registration
from parcours.outreach import services as outreach_services
from tests.factories import make_person

GROUPS = pathlib.Path(__file__).resolve().parents[2] / "src" / "parcours" / "groups"


def _imported_modules(path: pathlib.Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_groups_import_nothing_from_outreach():
    offenders = [
        f"{path.relative_to(GROUPS)}: {module}"
        for path in sorted(GROUPS.rglob("*.py"))
        if path.name != "demo.py"  # la démonstration compose tout, comme `parcours demo`
        for module in sorted(_imported_modules(path))
        if module.startswith("parcours.outreach")
    ]
    assert offenders == []


def test_outreach_registers_the_offer_hook():
    assert outreach_services.accept_offers_on_registration in services.REGISTRATION_HOOKS
    before = list(services.REGISTRATION_HOOKS)
    services.add_registration_hook(outreach_services.accept_offers_on_registration)
    assert before == services.REGISTRATION_HOOKS  # pas deux fois


@pytest.mark.django_db
def test_hooks_run_inside_the_registration_transaction(org, as01, session, frozen, monkeypatch):
    """Un crochet reçoit (actor, action, person) ; s'il échoue, l'inscription est annulée."""
    person = make_person(org=org, actor=as01)
    calls = []

    def record(*, actor, action, person):
        calls.append((actor, action, person))

    monkeypatch.setattr(services.registrations, "REGISTRATION_HOOKS", [record])
    registration, created = services.register(actor=as01, session=session, person=person)
    assert created and calls == [(as01, session.action, person)]

    other = make_person(org=org, actor=as01, last_name="Refus")

    def broken(**kwargs):
        raise RuntimeError("crochet en échec")

    monkeypatch.setattr(services.registrations, "REGISTRATION_HOOKS", [broken])
    with pytest.raises(RuntimeError):
        services.register(actor=as01, session=session, person=other)
    assert not Registration.objects.filter(person=other).exists()


def test_group_pages_leave_rights_and_reads_to_policies_and_queries():
    """Les pages des actions collectives (et la page composée « Invitations ») ne lisent ni le
    rôle de l'agent ni ``Model.objects`` : les droits dans ``policies``, les lectures dans
    ``queries``."""
    www = GROUPS.parent / "www" / "invitations.py"
    forbidden = re.compile(r"\.objects\b|\bRole\b|request\.agent\b|agent_context")
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in [*sorted((GROUPS / "views").glob("*.py")), www]
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if forbidden.search(line)
    ]
    assert offenders == []
