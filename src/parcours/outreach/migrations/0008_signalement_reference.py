import secrets

from django.db import migrations, models

import parcours.outreach.models

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def fill(apps, schema_editor):
    Referral = apps.get_model("outreach", "Referral")
    for pk in Referral.objects.filter(reference__isnull=True).values_list("pk", flat=True):
        reference = "SIG-" + "".join(secrets.choice(ALPHABET) for _ in range(16))
        Referral.objects.filter(pk=pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [("outreach", "0007_partenaires_annuaire")]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="reference",
            field=models.CharField(
                editable=False, max_length=24, null=True, verbose_name="référence"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="referral",
            name="reference",
            field=models.CharField(
                default=parcours.outreach.models.new_referral_reference,
                editable=False,
                max_length=24,
                unique=True,
                verbose_name="référence",
            ),
        ),
    ]
