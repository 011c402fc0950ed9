"""Démonstration des orientations : une quarantaine d'orientations de l'année vers les
partenaires de l'annuaire (dont la plateforme d'accès aux soins), sous consentement recueilli à
l'envoi ou sur mission légale ; la plupart ont leur réponse, certaines sont en retard et
relancées. Déterministe (graine) ; écrit par les services du partage, à la date de chaque
étape (horloge figée), sans envoyer de courriel."""

import datetime
import random

from parcours.core import clock
from parcours.core.models import Organisation, User
from parcours.core.nomenclatures import Fonction
from parcours.partners.models import Partner
from parcours.people.models import Person
from parcours.rules import orientations as rules
from parcours.sharing.models import Consent, Disclosure, Orientation
from parcours.sharing.services import orientations as services

COUNT = 40
K = Partner.Kind

#: type de partenaire -> (motif, demande)
REQUESTS: dict[str, tuple[str, str]] = {
    K.PLATEFORME_ACCES_SOINS: ("ACCES_SOINS", "Renoncement aux soins dentaires : bilan des droits"),
    K.CAP_EMPLOI: ("EMPLOI", "Étude d'un maintien dans l'emploi avec aménagement de poste"),
    K.SANTE_TRAVAIL: ("EMPLOI", "Visite de pré-reprise à organiser"),
    K.MDPH: ("HANDICAP", "Aide à la constitution du dossier de RQTH"),
    K.CCAS: ("FINANCIERE", "Aide facultative pour une facture d'énergie"),
    K.CLIC: ("PERTE_AUTONOMIE", "Évaluation des besoins à domicile"),
    K.DEPARTEMENT: ("PERTE_AUTONOMIE", "Demande d'APA à domicile"),
    K.BAILLEUR: ("HABITAT", "Adaptation du logement (douche de plain-pied)"),
    K.FRANCE_SERVICES: ("ACCES_DROITS", "Accompagnement aux démarches en ligne"),
    K.ASSOCIATION: ("ISOLEMENT", "Visites de convivialité"),
}


class _Nowhere:
    """Aucun message ne part de la démonstration."""

    def send(self, message) -> None:
        return None


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def reset(organisation) -> None:
    """Efface les orientations de l'organisme, leurs partages faits et les consentements
    recueillis pour elles (avant les personnes et l'annuaire, qu'ils protègent)."""
    orientations = Orientation.objects.filter(organisation=organisation)
    consents = list(
        Consent.objects.filter(orientations__in=orientations).values_list("pk", flat=True)
    )
    Disclosure.objects.filter(organisation=organisation, object_type="orientation").delete()
    orientations.delete()
    Consent.objects.filter(pk__in=consents, disclosures__isnull=True).delete()


def generate(*, code: str = "carsat-demo", seed: int = 2026) -> dict:
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        return {"orientations": 0}
    reset(organisation)
    rng = random.Random(seed)
    today = clock.today()
    nowhere = _Nowhere()
    workers = list(
        User.objects.filter(organisation=organisation, function=Fonction.AS, is_active=True)
        .prefetch_related("departements")
        .order_by("username")
    )
    partners = list(
        Partner.objects.filter(organisation=organisation, kind__in=list(REQUESTS), active=True)
        .prefetch_related("territories", "contacts")
        .order_by("name")
    )
    platform = [p for p in partners if p.kind == K.PLATEFORME_ACCES_SOINS]
    start = max(datetime.date(today.year, 1, 5), today - datetime.timedelta(days=330))
    span = max(1, (today - start).days - 1)
    created = 0
    for i in range(COUNT):
        worker = workers[i % len(workers)]
        deps = [d.code for d in worker.departements.all()]
        people = list(
            Person.objects.filter(
                organisation=organisation, departement_id__in=deps, merged_into__isnull=True
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:200]
        )
        if not people:
            continue
        person = Person.objects.get(pk=rng.choice(people))
        choices = platform if (i % 4 == 0 and platform) else partners
        partner = rng.choice(
            [p for p in choices if {t.code for t in p.territories.all()} & {person.departement_id}]
            or choices
        )
        reason, request = REQUESTS[partner.kind]
        sent = start + datetime.timedelta(days=(i * span) // COUNT)
        consent_given = i % 3 != 0
        categories = ["IDENTITE", "SITUATION"] if i % 5 else ["IDENTITE", "SITUATION", "EVALUATION"]
        contacts = list(partner.contacts.all())
        with clock.frozen(_at(sent)):
            orientation = services.send_orientation(
                actor=worker,
                person=person,
                partner=partner,
                partner_contact=contacts[0] if contacts else None,
                reason=reason,
                request=request,
                categories=categories,
                basis="CONSENTEMENT" if consent_given else "MISSION_LEGALE",
                new_consent={"given_on": sent, "method": "ORAL", "given_by": "PERSONNE"}
                if consent_given
                else None,
                sender=nowhere,
            )
        created += 1
        age = (today - sent).days
        fate = rng.random()
        if age <= rules.DEFAULT_DEADLINE_DAYS and fate < 0.6:
            continue  # récente : en attente, dans l'échéance
        if fate < 0.15:
            continue  # restée sans réponse : relancée plus bas
        received = sent + datetime.timedelta(days=rng.randint(1, 4))
        answered = received + datetime.timedelta(days=rng.randint(1, 20))
        if received >= today:
            continue
        with clock.frozen(_at(received, 14)):
            services.answer_by_link(orientation=orientation, status=rules.RECUE)
        if answered >= today:
            continue
        refused = fate > 0.85
        with clock.frozen(_at(answered, 15)):
            services.answer_by_link(
                orientation=orientation,
                status=rules.REFUSEE if refused else rules.ACCEPTEE,
                comment="Hors de notre champ : orientation vers le CCAS conseillée."
                if refused
                else "Rendez-vous proposé à la personne.",
            )
        closed = answered + datetime.timedelta(days=30)
        if closed < today and fate < 0.5:
            with clock.frozen(_at(closed, 9)):
                services.answer_by_link(orientation=orientation, status=rules.CLOTUREE)
    reminded = services.send_due_reminders(today=today, sender=nowhere)
    return {"orientations": created, "relancees": reminded}


def generate_cross(*, code: str = "carsat-demo", other: str = "caf-demo") -> dict:
    """Trois orientations de la Carsat vers le second organisme de la démonstration (la CAF),
    reçues chez lui comme signalements : l'une prise en charge, l'autre la personne rencontrée,
    la dernière en attente. Sans second organisme, rien."""
    from parcours.outreach import services as outreach_services

    organisation = Organisation.objects.filter(code=code).first()
    target = Organisation.objects.filter(code=other).first()
    if organisation is None or target is None:
        return {"croisees": 0}
    worker = User.objects.filter(username="as.ain", organisation=organisation).first()
    target_as = (
        User.objects.filter(organisation=target, function=Fonction.AS, departements__code="01")
        .order_by("username")
        .first()
    )
    if worker is None or target_as is None:
        return {"croisees": 0}
    today = clock.today()
    people = list(
        Person.objects.filter(
            organisation=organisation, departement_id="01", merged_into__isnull=True
        ).order_by("-pk")[:3]
    )
    created = 0
    for i, person in enumerate(people):
        sent = today - datetime.timedelta(days=20 - 6 * i)
        with clock.frozen(_at(sent)):
            orientation = services.send_orientation(
                actor=worker,
                person=person,
                organisation=target,
                reason="FINANCIERE",
                request="Étude des droits aux prestations familiales et à l'aide au logement",
                categories=["IDENTITE", "SITUATION"],
                basis="MISSION_LEGALE",
                sender=_Nowhere(),
            )
        created += 1
        referral = orientation.incoming_referral
        if i < 2 and referral is not None and referral.status == "RECU":
            with clock.frozen(_at(sent + datetime.timedelta(days=2), 11)):
                outreach_services.assign_referral(
                    actor=target_as, referral=referral, social_worker=target_as
                )
        if i == 0 and referral is not None:
            referral.refresh_from_db()
            with clock.frozen(_at(sent + datetime.timedelta(days=9), 15)):
                outreach_services.set_referral_status(
                    actor=target_as, referral=referral, status="RENCONTRE"
                )
    return {"croisees": created}
