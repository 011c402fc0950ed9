"""signalements.csv, offres.csv, contacts_accueil.csv -> ``outreach.bulk``.

Un signalement historique est « pris en charge » (hors des files d'attente : aucune AS n'a à
le prendre en charge) ; les offres sont rangées dans une campagne par jour d'envoi, canal et
programme, de référence ``HIST`` suivi de leur identifiant ; un contact d'accueil est daté de
midi, canal accueil, réponse « information ».
"""

from __future__ import annotations

from parcours.core.nomenclatures import Programme
from parcours.outreach import bulk as outreach_bulk
from parcours.outreach.bulk import NewCampaign, NewFrontLineContact, NewOffer, NewReferral
from parcours.outreach.models import Campaign, FrontLineContact, Referral
from parcours.steering.history.context import Writer, chunks
from parcours.steering.history.groups import aware
from parcours.steering.history.validation import Valid


def write_referrals(w: Writer, referrals: dict[str, Valid]) -> None:
    w.progress(f"Signalements : {len(referrals)} à créer…")
    people = w.ids["beneficiaire"]
    for _, chunk in chunks(list(referrals.items())):
        ids = outreach_bulk.create_referrals(
            actor=w.actor,
            organisation=w.organisation,
            referrals=[
                NewReferral(
                    person_id=people[r["beneficiaire"]],
                    emitter=r["emetteur"],
                    received_on=r["date"],
                    reason="Signalement importé de l'historique",
                    programme=r["programme"] or Programme.AUTRE,
                    departement_id=r["departement"] or None,
                    status=Referral.Status.PRIS_EN_CHARGE,
                    status_changed_on=r["date"],
                )
                for _, r in chunk
            ],
            audit=w.audit,
        )
        w.refs("signalement", [(s, pk) for (s, _), pk in zip(chunk, ids, strict=True)])


def write_offers(w: Writer, offers: dict[str, Valid]) -> None:
    keys = sorted({(o["date"], o["canal"], o["programme"]) for o in offers.values()})
    campaign_ids = dict(
        zip(
            keys,
            outreach_bulk.create_campaigns(
                actor=w.actor,
                organisation=w.organisation,
                campaigns=[
                    NewCampaign(
                        name=f"Offres importées de l'historique ({sent_on:%d/%m/%Y})",
                        channel=channel,
                        proposal=Campaign.Proposal.RENDEZ_VOUS,
                        programme=programme or Programme.AUTRE,
                        sent_on=sent_on,
                        created_by_id=w.history_agent(),
                    )
                    for sent_on, channel, programme in keys
                ],
                audit=w.audit,
            ),
            strict=True,
        )
    )
    w.progress(f"Offres : {len(offers)} à créer…")
    people = w.ids["beneficiaire"]
    for _, chunk in chunks(list(offers.items())):
        ids = outreach_bulk.create_offers(
            actor=w.actor,
            organisation=w.organisation,
            offers=[
                NewOffer(
                    campaign_id=campaign_ids[(o["date"], o["canal"], o["programme"])],
                    person_id=people[o["beneficiaire"]],
                    sent_on=o["date"],
                    channel=o["canal"],
                    status=o["statut"],
                    programme=o["programme"] or Programme.AUTRE,
                    departement_id=o["departement"] or None,
                )
                for _, o in chunk
            ],
            reference_prefix="HIST",
            audit=w.audit,
        )
        w.refs("offre", [(s, pk) for (s, _), pk in zip(chunk, ids, strict=True)])


def write_front_line(w: Writer, contacts: dict[str, Valid]) -> None:
    w.progress(f"Contacts d'accueil : {len(contacts)} à créer…")
    people, agents = w.ids["beneficiaire"], w.ids["agent"]
    for _, chunk in chunks(list(contacts.items())):
        ids = outreach_bulk.create_front_line_contacts(
            actor=w.actor,
            organisation=w.organisation,
            contacts=[
                NewFrontLineContact(
                    at=aware(f["date"], 12),
                    date=f["date"],
                    departement_id=f["departement"],
                    agent_id=agents[f["agent"]] if f["agent"] else w.history_agent(),
                    person_id=people[f["beneficiaire"]] if f["beneficiaire"] else None,
                    channel=FrontLineContact.Channel.ACCUEIL,
                    reason=f["motif"] or "Contact d'accueil (historique)",
                    answer=FrontLineContact.Answer.INFORMATION,
                )
                for _, f in chunk
            ],
            audit=w.audit,
        )
        w.refs("contact_accueil", [(s, pk) for (s, _), pk in zip(chunk, ids, strict=True)])
