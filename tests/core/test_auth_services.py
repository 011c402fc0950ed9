"""Services de connexion et de second facteur : écritures de l'appareil TOTP dans une
transaction avec leur entrée du journal, jamais le secret."""

import datetime
import inspect

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.core import services
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(org):
    return UserFactory(organisation=org, admin=True, departements=["01"])


def code(device):
    return f"{totp(device.bin_key):06d}"


def let_a_minute_pass(device):
    """La temporisation de django-otp après un code refusé est écoulée."""
    device.refresh_from_db()
    if device.throttling_failure_timestamp:
        device.throttling_failure_timestamp -= datetime.timedelta(minutes=1)
        device.save()


def assert_no_secret(device):
    for entry in AuditEntry.objects.all():
        text = str(entry.changes) + entry.summary
        assert device.key not in text and "key" not in entry.changes


@pytest.mark.parametrize(
    "name", ["record_login", "check_totp_code", "start_totp_enrolment", "confirm_totp_device"]
)
def test_auth_services_take_keyword_only_arguments_with_an_actor(name):
    parameters = inspect.signature(getattr(services, name)).parameters
    assert "actor" in parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())


def test_record_login(admin):
    entry = services.record_login(actor=admin)
    assert (entry.action, entry.object_type, entry.summary) == ("LOGIN", "connexion", "Connexion")
    assert entry.organisation_id == admin.organisation_id


def test_enrolment_creates_one_pending_device_and_audits_it_without_its_secret(admin):
    device = services.start_totp_enrolment(actor=admin)
    assert (device.user, device.confirmed) == (admin, False)
    assert services.start_totp_enrolment(actor=admin) == device  # même appareil, rien d'écrit
    assert TOTPDevice.objects.filter(user=admin).count() == 1
    [entry] = AuditEntry.objects.filter(object_type="totp")
    assert (entry.action, entry.actor, entry.object_id) == ("CREATE", admin, str(device.pk))
    assert entry.changes == {
        "name": {"avant": None, "apres": "Application d'authentification"},
        "confirmed": {"avant": None, "apres": False},
    }
    assert_no_secret(device)


def test_confirmation_refuses_a_wrong_code_and_keeps_the_throttling(admin):
    device = services.start_totp_enrolment(actor=admin)
    with pytest.raises(BusinessError, match="Code incorrect") as refused:
        services.confirm_totp_device(actor=admin, device=device, token="000000")
    assert list(refused.value.errors) == ["code"]
    device.refresh_from_db()
    assert device.confirmed is False and device.throttling_failure_count == 1
    with pytest.raises(BusinessError, match="patientez"):
        services.confirm_totp_device(actor=admin, device=device, token=code(device))
    assert not AuditEntry.objects.filter(summary="Second facteur activé").exists()


def test_confirmation_replaces_the_previous_device_in_one_audited_write(admin):
    old = TOTPDevice.objects.create(user=admin, name="ancien", confirmed=True)
    device = services.start_totp_enrolment(actor=admin)
    services.confirm_totp_device(actor=admin, device=device, token=code(device))
    device.refresh_from_db()
    assert device.confirmed is True
    assert list(TOTPDevice.objects.filter(user=admin)) == [device]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    [entry] = AuditEntry.objects.filter(summary="Second facteur activé")
    assert (entry.action, entry.object_type, entry.object_id) == ("OTP", "totp", str(device.pk))
    assert entry.changes == {
        "confirmed": {"avant": False, "apres": True},
        "appareils_remplaces": {"avant": 1, "apres": 0},
    }
    assert_no_secret(device)


def test_confirmation_is_for_the_actor_s_own_pending_device(admin, org):
    other = UserFactory(organisation=org, admin=True, departements=["01"])
    device = services.start_totp_enrolment(actor=other)
    with pytest.raises(BusinessError):
        services.confirm_totp_device(actor=admin, device=device, token=code(device))
    device.refresh_from_db()
    assert device.confirmed is False


def test_check_totp_code(admin):
    device = TOTPDevice.objects.create(user=admin, name="t", confirmed=True)
    with pytest.raises(BusinessError, match="Code incorrect ou expiré"):
        services.check_totp_code(actor=admin, code="000000")
    [refused] = AuditEntry.objects.filter(summary="Code de second facteur refusé")
    assert (refused.action, refused.actor) == ("OTP", admin)
    with pytest.raises(BusinessError, match="patientez"):
        services.check_totp_code(actor=admin, code=code(device))
    let_a_minute_pass(device)
    assert services.check_totp_code(actor=admin, code=code(device)) == device
    assert_no_secret(device)
