"""Les partenaires écrits en texte libre deviennent des partenaires de l'annuaire (à vérifier),
les conventions d'évaluation du module des aides des conventions de l'annuaire
(``partners.free_text.link_free_texts``)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from parcours.partners.free_text import link_free_texts

    link_free_texts(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_a_verifier"),
        ("core", "0005_form_submission"),
        ("groups", "0006_partenaires_annuaire"),
        ("outreach", "0007_partenaires_annuaire"),
        ("aid", "0004_partenaires_annuaire"),
    ]

    operations = [
        # Retour arrière : les liens restent (les textes d'origine sont sur chaque partenaire).
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
