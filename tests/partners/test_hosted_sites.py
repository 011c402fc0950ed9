"""Les permanences accueillies d'un partenaire : les seuls lieux « permanence chez un
partenaire » de l'organisme sont proposés ; un lieu d'un autre organisme est refusé (422 par le
formulaire, refus du service)."""

import pytest
from django.urls import reverse

from parcours.core.exceptions import BusinessError
from parcours.core.models import Site
from parcours.partners import services
from tests.conftest import login_as
from tests.partners.factories import make_partner

pytestmark = pytest.mark.django_db


def _site(org, name, kind=Site.Kind.PERMANENCE_PARTENAIRE):
    return Site.objects.create(
        organisation=org, name=name, kind=kind, departement_id="01", partner="Hôte"
    )


def test_hosted_sites(client, org, other_org, manager):
    permanence = _site(org, "Permanence Belley")
    _site(org, "Accueil Bourg", Site.Kind.ACCUEIL_PERMANENT)
    foreign = _site(other_org, "Permanence ailleurs")
    partner = make_partner(org=org, actor=manager, name="France Services de Belley")
    login_as(client, manager)
    url = reverse("partenaire-modifier", args=[partner.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["hosted_sites"].queryset) == [permanence]
    data = {"kind": "FRANCE_SERVICES", "name": "France Services de Belley", "active": "on"}
    refused = client.post(url, data | {"hosted_sites": [foreign.pk]})
    assert refused.status_code == 422 and "hosted_sites" in refused.context["form"].errors
    assert client.post(url, data | {"hosted_sites": [permanence.pk]}).status_code == 302
    assert list(partner.hosted_sites.all()) == [permanence]
    page = client.get(reverse("partenaire", args=[partner.pk])).content.decode()
    assert "Permanence Belley" in page
    with pytest.raises(BusinessError) as error:
        services.update_partner(
            actor=manager,
            partner=partner,
            data={"kind": "FRANCE_SERVICES", "name": "x"},
            hosted_sites=[foreign],
        )
    assert error.value.errors == {"hosted_sites": "Ce lieu n'est pas un lieu de l'organisme."}
    # modifier sans dire les lieux ne les change pas
    services.update_partner(actor=manager, partner=partner, data={"kind": "CCAS", "name": "y"})
    assert list(partner.hosted_sites.all()) == [permanence]
