"""La page des tranches d'âge : administrateur et pilotage seulement, erreurs en français,
enregistrement par le service (``observatory.forms``, ``observatory.services.settings``)."""

import pytest
from django.urls import reverse

from parcours.observatory.models import ObservatorySettings
from tests.conftest import login_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_steering_sets_the_age_bands(client, org):
    login_as(client, UserFactory(organisation=org, steering=True))
    page = client.get(reverse("observatoire-parametres"))
    assert page.status_code == 200 and 'value="70"' in page.content.decode()
    bad = client.post(reverse("observatoire-parametres"), {"age_2": 80, "age_3": 75, "age_4": 90})
    assert bad.status_code == 422 and "strictement croissants" in bad.content.decode()
    done = client.post(reverse("observatoire-parametres"), {"age_2": 65, "age_3": 75, "age_4": 85})
    assert done.status_code == 302
    assert ObservatorySettings.objects.get(organisation=org).age_thresholds == [65, 75, 85]


@pytest.mark.parametrize("traits", [{"manager": True}, {"social_worker": True}, {"dpo": True}])
def test_others_get_404(client, org, traits):
    login_as(client, UserFactory(organisation=org, **traits))
    assert client.get(reverse("observatoire-parametres")).status_code == 404
