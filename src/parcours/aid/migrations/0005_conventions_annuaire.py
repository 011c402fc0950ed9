"""Les conventions d'évaluation sont désormais celles de l'annuaire (``partners.Convention``) :
la reprise (``partners/0004``) les a recopiées et a relié chaque évaluation ; l'ancien modèle
et l'ancienne clé disparaissent, la nouvelle prend le nom ``convention``."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0004_partenaires_annuaire"),
        ("partners", "0004_textes_vers_annuaire"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="evaluation", name="eval_convention"),
        migrations.RemoveField(model_name="evaluation", name="convention"),
        migrations.DeleteModel(name="Convention"),
        migrations.RenameField(
            model_name="evaluation", old_name="directory_convention", new_name="convention"
        ),
        migrations.AlterField(
            model_name="evaluation",
            name="convention",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="evaluations",
                to="partners.convention",
                verbose_name="convention",
            ),
        ),
        migrations.AddIndex(
            model_name="evaluation",
            index=models.Index(fields=["convention", "evaluated_on"], name="eval_convention"),
        ),
    ]
