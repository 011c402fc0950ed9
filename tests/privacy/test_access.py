"""Le droit d'accès : le JSON et le PDF remis, les notes privées communiquées ou retenues,
l'historique des rectifications, les consultations, la commande ``parcours rgpd acces``."""

import json

import pytest
from django.core.management.base import CommandError

from parcours.core.models import AuditEntry
from parcours.privacy.models import AccessExport
from parcours.privacy.queries.access import SECTIONS
from parcours.privacy.services import access as services
from tests.factories import make_person
from tests.pdf_checks import assert_tagged_pdf
from tests.privacy.conftest import NIR, PRIVATE_TEXT

pytestmark = pytest.mark.django_db


def export_json(world, **kw):
    export, data = services.prepare_access_export(
        actor=world.manager, person=world.person, fmt="json", **kw
    )
    return export, json.loads(data)


def test_json_has_every_section_with_the_right_counts(world):
    export, content = export_json(world)
    assert list(content) == list(SECTIONS)
    person = content["personne"]
    assert person["nom_d_usage"] == "Martin-Durand" and person["prenoms"] == "Claire"
    assert person["nir"] == NIR  # en entier : la donnée de la personne, remise à elle
    assert len(content["accompagnements"]) == 2
    assert [o["objectif"] for c in content["accompagnements"] for o in c["objectifs"]] == [
        "Reprendre le travail à mi-temps"
    ]
    assert len(content["entretiens"]) == 2
    assert "Point sur l'arrêt de travail." in [e["note"] for e in content["entretiens"]]
    [evaluation] = content["evaluations"]
    assert evaluation["gir"] == 1 and evaluation["grille_aggir"]["TOI"] == "C"
    assert evaluation["transmission"] is not None
    [aid] = content["aides"]
    assert aid["montant_accorde"] == "100.00"
    assert [p["montant"] for p in aid["paiements"]] == ["100.00"]
    assert [i["montant"] for i in aid["indus"]] == ["20.00"]
    assert [c["nature"] for c in content["collectif"]] == ["Inscription", "Invitation"]
    assert len(content["signalements"]) == 1
    assert [o["destinataire"] for o in content["orientations"]] == ["Cap emploi de l'Ain"]
    assert len(content["consentements"]["recueillis"]) == 1
    assert len(content["consentements"]["partages"]) >= 1
    documents = [d["document"] for d in content["documents"]]
    assert "Courrier de transmission de l'évaluation" in documents
    assert export.counts["accompagnements"] == 2 and export.counts["entretiens"] == 2


def test_private_notes_are_included_unless_withheld_with_a_reason(world):
    export, content = export_json(world)
    notes = [n["texte"] for c in content["accompagnements"] for n in c.get("notes_privees", [])]
    assert notes == [PRIVATE_TEXT] and not export.private_notes_withheld
    export, data = services.prepare_access_export(
        actor=world.manager,
        person=world.person,
        fmt="json",
        withhold_private_notes=True,
        reason="TIERS",
        details="Les notes citent un tiers nommément.",
    )
    assert PRIVATE_TEXT.encode() not in data
    content = json.loads(data)
    assert all("notes_privees" not in c for c in content["accompagnements"])
    notice = content["personne"]["export"]
    assert notice["notes_privees_communiquees"] is False
    assert notice["motif_de_la_retention"].startswith("Protection des droits et libertés de tiers")
    assert notice["precision_du_motif"] == "Les notes citent un tiers nommément."
    export.refresh_from_db()
    assert export.private_notes_withheld and export.withheld_reason == "TIERS"
    assert export.withheld_details == "Les notes citent un tiers nommément."


@pytest.mark.parametrize(
    ("reason", "details", "field"),
    [("", "Un tiers", "withheld_reason"), ("TIERS", "  ", "withheld_details")],
)
def test_withholding_needs_a_legal_reason_and_its_details(world, reason, details, field):
    from parcours.core.exceptions import BusinessError

    with pytest.raises(BusinessError) as error:
        services.prepare_access_export(
            actor=world.manager,
            person=world.person,
            fmt="json",
            withhold_private_notes=True,
            reason=reason,
            details=details,
        )
    assert field in error.value.errors
    assert not AccessExport.objects.exists()


def test_rectifications_show_before_and_after(world):
    _, content = export_json(world)
    [rectification] = content["personne"]["rectifications"]
    changes = {c["champ"]: (c["avant"], c["apres"]) for c in rectification["changements"]}
    assert changes["Nom d'usage"] == ("Martin", "Martin-Durand")
    assert changes["Téléphone"] == ("04 74 00 00 00", "04 74 11 22 33")
    assert not {"Version", "last_name_key", "phone_digits"} & set(changes)
    assert rectification["par"] == world.worker.get_full_name()


def test_consultations_list_readers_and_earlier_exports(world):
    first, content = export_json(world)
    readers = [c["par"] for c in content["consultations"]]
    assert readers.count(world.worker.get_full_name()) >= 1
    assert world.manager.get_full_name() in readers
    assert not any("droit d'accès" in c["objet"] for c in content["consultations"])
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT, object_id=str(first.pk))
    assert entry.person_id == world.person.pk and entry.actor == world.manager
    _, later = export_json(world)
    exports = [c for c in later["consultations"] if c["objet"].startswith("Export du droit")]
    assert len(exports) == 1 and exports[0]["par"] == world.manager.get_full_name()
    assert "Export du droit d'accès (JSON)" in [d["document"] for d in later["documents"]]


def test_the_pdf_reads_back_with_the_name_and_every_section(world):
    export, data = services.prepare_access_export(
        actor=world.manager, person=world.person, fmt="pdf"
    )
    reader = assert_tagged_pdf(data)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Claire MARTIN-DURAND" in text and NIR in text.replace(" ", "")
    for title in [
        "Identité et coordonnées",
        "Rectifications de la fiche",
        "Accompagnements",
        "Entretiens",
        "Évaluations des besoins",
        "Aides",
        "Actions collectives",
        "Signalements reçus",
        "Orientations vers un partenaire",
        "Consentements et partages",
        "Documents",
        "Consultations du dossier",
    ]:
        assert title in text, title
    assert PRIVATE_TEXT in text
    assert export.format == "pdf" and len(export.sha256) == 64


# --- la commande ---------------------------------------------------------------------------


def test_command_by_nir_writes_the_json_and_is_audited(world, call, tmp_path):
    out = tmp_path / "acces.json"
    message = call(
        "rgpd", "acces", "--organisation", world.org.code, "--nir", NIR, "--format", "json",
        "--sortie", str(out),
    )  # fmt: skip
    content = json.loads(out.read_text())
    assert list(content) == list(SECTIONS) and content["personne"]["nir"] == NIR
    assert "Martin" not in message  # aucune donnée personnelle sur la sortie
    export = AccessExport.objects.get()
    assert export.channel == "CLI" and export.by is None
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, person_id=world.person.pk
    ).exists()


def test_command_by_id_prints_json_and_writes_a_pdf(world, call, tmp_path):
    args = ["rgpd", "acces", "--organisation", world.org.code, "--personne", str(world.person.pk)]
    content = json.loads(call(*args, "--format", "json"))
    assert content["personne"]["id"] == world.person.pk
    pdf = tmp_path / "acces.pdf"
    call(*args, "--format", "pdf", "--sortie", str(pdf))
    assert_tagged_pdf(pdf.read_bytes())
    with pytest.raises(CommandError, match="Le PDF s'écrit dans un fichier"):
        call(*args, "--format", "pdf")


def test_command_refuses_a_person_of_another_organisation(world, other_org, call):
    make_person(org=other_org, nir=None)
    other_nir = "2" + NIR[1:5] + "01" + "999999"
    from parcours.rules import nir as nir_rules

    other_nir = other_nir[:13] + f"{nir_rules.compute_key(other_nir[:13]):02d}"
    make_person(org=other_org, nir=other_nir, last_name="Autre")
    with pytest.raises(CommandError, match="Aucune personne de cet organisme ne porte ce NIR"):
        call("rgpd", "acces", "--organisation", world.org.code, "--nir", other_nir,
             "--format", "json")  # fmt: skip
    with pytest.raises(CommandError, match="Aucune personne n°"):
        call("rgpd", "acces", "--organisation", other_org.code,
             "--personne", str(world.person.pk), "--format", "json")  # fmt: skip
    assert not AccessExport.objects.exists()


@pytest.mark.parametrize("bad", ["123", NIR[:-2] + "00", "2700501ABC12345"])
def test_command_refuses_a_malformed_nir_in_french(world, call, bad):
    with pytest.raises(CommandError, match="^--nir : ") as error:
        call("rgpd", "acces", "--organisation", world.org.code, "--nir", bad, "--format", "json")
    assert "NIR" in str(error.value) or "clé" in str(error.value)
    assert not AccessExport.objects.exists()


def test_command_refuses_an_unknown_organisation(call):
    with pytest.raises(CommandError, match="Organisme inconnu"):
        call("rgpd", "acces", "--organisation", "nulle-part", "--personne", "1", "--format", "json")


def test_the_export_reads_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    """Une requête par rubrique (et ses préchargements), pas une par ligne : dix entretiens de
    plus ne coûtent rien."""
    from parcours.privacy.queries.access import access_export
    from tests.factories import make_case, make_contact

    with django_assert_max_num_queries(45) as before:
        access_export(world.person, with_private_notes=True, reveal_nir=True)
    case = make_case(person=world.person, referent=world.worker)
    for _ in range(10):
        make_contact(case=case, actor=world.worker, note="Suivi.")
    with django_assert_max_num_queries(45) as after:
        access_export(world.person, with_private_notes=True, reveal_nir=True)
    assert len(after.captured_queries) <= len(before.captured_queries)  # la fiche est en cache
