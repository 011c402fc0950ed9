"""Fabriques de test (factory_boy) ; les écritures métier passent par les services."""

import datetime

import factory

from parcours.core.models import Organisation, Site, User
from parcours.core.nomenclatures import Fonction, Mode, Origine, Programme


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.LazyAttribute(lambda o: f"Carsat {o.code}")
    kind = Organisation.Kind.CARSAT
    region_id = "84"

    @factory.post_generation
    def departements(self, create, extracted, **kwargs):
        if create:
            self.departements.set(extracted or ["01", "69"])


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Point d'accueil {n}")
    kind = Site.Kind.ACCUEIL_PERMANENT
    departement_id = "01"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    function = Fonction.AS
    password = factory.django.Password("mot-de-passe-de-test-42")

    class Params:
        social_worker = factory.Trait(function=Fonction.AS)
        front_line = factory.Trait(function=Fonction.CSAM)
        secretary = factory.Trait(function=Fonction.SECRETAIRE)
        manager = factory.Trait(function=Fonction.MANAGER)
        steering = factory.Trait(function=Fonction.PILOTAGE)
        admin = factory.Trait(function="", is_org_admin=True)
        dpo = factory.Trait(function="", is_dpo=True)

    @factory.post_generation
    def departements(self, create, extracted, **kwargs):
        if create:
            self.departements.set(["01"] if extracted is None else extracted)


def make_person(*, org, actor=None, departement="01", nir=None, **data):
    from parcours.people import services

    defaults = {
        "last_name": "Martin",
        "first_names": "Claire",
        "sex": "F",
        "birth_date": datetime.date(1970, 5, 17),
        "departement_id": departement,
    }
    defaults.update(data)
    return services.create_person(actor=actor, organisation_id=org.pk, data=defaults, nir=nir)


def make_case(
    *,
    person,
    referent,
    actor=None,
    programme=Programme.PDP,
    origin=Origine.SIGNALEMENT,
    opened_on=datetime.date(2026, 1, 5),
):
    from parcours.cases import services

    return services.open_case(
        actor=actor or referent,
        person=person,
        programme=programme,
        origin=origin,
        referent=referent,
        opened_on=opened_on,
    )


def make_contact(*, case, actor, on=datetime.date(2026, 2, 1), mode=Mode.RECEPTION_RDV, **kwargs):
    from parcours.cases import services

    return services.record_contact(actor=actor, case=case, on=on, mode=mode, **kwargs)
