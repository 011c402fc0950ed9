import secrets

from django.db import migrations, models

import parcours.sharing.models

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def fill(apps, schema_editor):
    EvaluationShare = apps.get_model("sharing", "EvaluationShare")
    for pk in EvaluationShare.objects.filter(reference__isnull=True).values_list("pk", flat=True):
        reference = "EVA-" + "".join(secrets.choice(ALPHABET) for _ in range(16))
        EvaluationShare.objects.filter(pk=pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [("sharing", "0003_orientations")]

    operations = [
        migrations.AddField(
            model_name="evaluationshare",
            name="reference",
            field=models.CharField(
                editable=False, max_length=24, null=True, verbose_name="référence"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="evaluationshare",
            name="reference",
            field=models.CharField(
                default=parcours.sharing.models.new_evaluation_share_reference,
                editable=False,
                max_length=24,
                unique=True,
                verbose_name="référence",
            ),
        ),
    ]
