"""Reprise des partenaires écrits en texte libre vers l'annuaire.

Une fonction ordinaire, appelée par la migration ``partners/0004_textes_vers_annuaire`` avec le
registre historique des modèles, et par les tests avec le registre courant : elle ne touche les
modèles que par ``apps.get_model`` (aucun import des couches hautes).

Pour chaque organisme, les textes non vides des champs libres sont rapprochés par leur clé
(``rules.partner_names.key`` : casse, accents, ponctuation et espaces ignorés) :

- d'un partenaire de l'annuaire dont le nom a la même clé, s'il en existe un ;
- sinon d'un partenaire créé pour l'occasion, une fois par clé, de type deviné
  (``rules.partner_names.guess_kind``), **à vérifier**, avec ses textes d'origine.

La ligne est alors liée au partenaire et son texte vidé (il reste dans les textes d'origine du
partenaire), sauf deux textes gardés tels quels : le destinataire d'une transmission (ce qu'a
porté le courrier) et le « partenaire hôte » d'un lieu (``core`` ignore l'annuaire : le lien est
du côté du partenaire, ``Partner.hosted_sites``). Un texte vide ne lie rien. Les lignes déjà
liées sont laissées : relancer ne change rien. Les listes (partenaires et intervenants d'une
action collective) sont découpées (``rules.partner_names.split_list``). Les conventions
d'évaluation du module des aides, quand le modèle existe encore, deviennent des conventions de
l'annuaire et leurs évaluations les suivent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parcours.rules import partner_names

CONVENTION_OBJECT = "Évaluations des besoins pour le compte de l'organisme"
CONVENTION_SERVICES = "Évaluations globales des besoins (grille AGGIR), facturées à l'acte"


@dataclass
class Directory:
    """Les partenaires d'un organisme par clé, et ceux que la reprise a créés."""

    apps: Any
    organisation_id: int
    by_key: dict[str, Any] = field(default_factory=dict)
    created: list[Any] = field(default_factory=list)
    origins: dict[int, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, apps: Any, organisation_id: int) -> Directory:
        directory = cls(apps, organisation_id)
        partner_model = apps.get_model("partners", "Partner")
        for partner in partner_model.objects.filter(organisation_id=organisation_id).order_by("pk"):
            directory.by_key.setdefault(partner_names.key(partner.name), partner)
        return directory

    def partner_for(self, text: str) -> Any | None:
        """Le partenaire de ``text`` (trouvé ou créé à vérifier), ``None`` pour un texte vide."""
        name = " ".join((text or "").split())
        k = partner_names.key(name)
        if not k:
            return None
        partner = self.by_key.get(k)
        if partner is None:
            partner_model = self.apps.get_model("partners", "Partner")
            partner = partner_model.objects.create(
                organisation_id=self.organisation_id,
                kind=partner_names.guess_kind(name),
                name=name[:200],
                to_verify=True,
            )
            self.by_key[k] = partner
            self.created.append(partner)
        if partner.to_verify:
            seen = self.origins.setdefault(partner.pk, [])
            if name not in seen:
                seen.append(name)
        return partner

    def save_origins(self) -> None:
        partner_model = self.apps.get_model("partners", "Partner")
        for pk, texts in self.origins.items():
            partner = partner_model.objects.get(pk=pk)
            lines = [line for line in partner.origin_text.splitlines() if line]
            lines += [t for t in texts if t not in lines]
            partner.origin_text = "\n".join(lines)
            partner.save(update_fields=["origin_text"])


def _link_column(directory: Directory, model: Any, text_field: str, fk: str, *, clear: bool) -> int:
    """Lie les lignes de ``model`` (texte ``text_field``, clé étrangère ``fk`` vide), texte par
    texte distinct ; rend le nombre de lignes liées."""
    rows = model.objects.filter(
        organisation_id=directory.organisation_id, **{f"{fk}__isnull": True}
    )
    linked = 0
    texts = rows.exclude(**{text_field: ""}).values_list(text_field, flat=True).distinct()
    for text in sorted(set(texts)):
        partner = directory.partner_for(text)
        if partner is None:
            continue
        changes: dict[str, Any] = {fk: partner}
        if clear:
            changes[text_field] = ""
        linked += rows.filter(**{text_field: text}).update(**changes)
    return linked


def _link_list(directory: Directory, model: Any, text_field: str, m2m: str) -> int:
    linked = 0
    rows = model.objects.filter(organisation_id=directory.organisation_id).exclude(
        **{text_field: ""}
    )
    for row in rows.order_by("pk"):
        partners = [
            directory.partner_for(n) for n in partner_names.split_list(getattr(row, text_field))
        ]
        getattr(row, m2m).add(*[p for p in partners if p is not None])
        setattr(row, text_field, "")
        row.save(update_fields=[text_field])
        linked += 1
    return linked


def _link_sites(directory: Directory) -> int:
    site_model = directory.apps.get_model("core", "Site")
    linked = 0
    sites = site_model.objects.filter(organisation_id=directory.organisation_id).exclude(partner="")
    for site in sites.order_by("pk"):
        partner = directory.partner_for(site.partner)
        if partner is None:
            continue
        if not partner.hosted_sites.filter(pk=site.pk).exists():
            partner.hosted_sites.add(site)
            linked += 1
    return linked


def _move_aid_conventions(directory: Directory) -> int:
    try:
        old_model = directory.apps.get_model("aid", "Convention")
    except LookupError:  # déjà reprises : le modèle n'existe plus
        return 0
    convention_model = directory.apps.get_model("partners", "Convention")
    evaluation_model = directory.apps.get_model("aid", "Evaluation")
    moved = 0
    for old in old_model.objects.filter(organisation_id=directory.organisation_id).order_by("pk"):
        partner = directory.partner_for(old.partner)
        if partner is None:  # le champ est obligatoire : ne devrait pas arriver
            continue
        new = convention_model.objects.create(
            partner=partner,
            object=CONVENTION_OBJECT,
            start=old.starts_on,
            end=old.ends_on,
            services=CONVENTION_SERVICES,
            unit_price=old.unit_price,
        )
        evaluation_model.objects.filter(convention_id=old.pk).update(directory_convention=new)
        moved += 1
    return moved


def link_free_texts(apps: Any, organisation_ids: list[int] | None = None) -> dict[str, int]:
    """Reprend les textes libres de chaque organisme (tous si ``organisation_ids`` est vide) ;
    rend les nombres de partenaires créés et de lignes liées, par champ."""
    organisation_model = apps.get_model("core", "Organisation")
    organisations = organisation_model.objects.order_by("pk")
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=organisation_ids)
    counts = dict.fromkeys(
        [
            "partenaires_crees",
            "lieux",
            "actions_partenaires",
            "actions_intervenants",
            "seances",
            "signalements",
            "contacts_accueil",
            "transmissions",
            "conventions",
        ],
        0,
    )
    group_action = apps.get_model("groups", "GroupAction")
    session = apps.get_model("groups", "Session")
    referral = apps.get_model("outreach", "Referral")
    front_line = apps.get_model("outreach", "FrontLineContact")
    transmission = apps.get_model("aid", "Transmission")
    for organisation_id in organisations.values_list("pk", flat=True):
        d = Directory.load(apps, organisation_id)
        counts["conventions"] += _move_aid_conventions(d)
        counts["lieux"] += _link_sites(d)
        counts["actions_partenaires"] += _link_list(
            d, group_action, "partners", "directory_partners"
        )
        counts["actions_intervenants"] += _link_list(
            d, group_action, "partner_facilitators", "facilitator_partners"
        )
        counts["seances"] += _link_column(d, session, "partner_place", "partner", clear=True)
        counts["signalements"] += _link_column(
            d, referral, "emitter_name", "emitter_partner", clear=True
        )
        counts["contacts_accueil"] += _link_column(
            d, front_line, "partner", "oriented_to", clear=True
        )
        counts["transmissions"] += _link_column(
            d, transmission, "recipient", "recipient_partner", clear=False
        )
        d.save_origins()
        counts["partenaires_crees"] += len(d.created)
    return counts
