"""Tests stricts : avertissements = erreurs, variable de gabarit inconnue = échec, ordre aléatoire.

La base de test (SQLite, ou PostgreSQL avec ``DATABASE_URL``) reçoit une fois le découpage
administratif réel ; chaque test construit son organisme avec les fabriques de ``factories.py``.
"""

import pytest
from django.conf import settings
from django.core.management import call_command

from parcours.core.reference import load_reference


class InvalidTemplateVariable(str):
    def __mod__(self, other):
        raise AssertionError(f"Variable de gabarit inconnue : {other!r}")

    def __bool__(self):
        return False


@pytest.fixture(autouse=True, scope="session")
def _strict_templates():
    for engine in settings.TEMPLATES:
        engine["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture(autouse=True)
def _no_axes_lockout_between_tests(settings):
    settings.AXES_ENABLED = True
    yield


@pytest.fixture
def org(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(code="carsat-test", departements=["01", "69"])


@pytest.fixture
def other_org(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(code="autre-org", departements=["01", "69"])


def login_as(client, user):
    """Connecte ``user`` sans passer par le formulaire (le second facteur est considéré fait)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if user.is_org_admin or user.is_superuser:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def call():
    def _call(*args, **kwargs):
        from io import StringIO

        out = StringIO()
        call_command(*args, stdout=out, stderr=out, **kwargs)
        return out.getvalue()

    return _call
