"""An offence says whether a drug user or addict caused it, under management or not (TV6, TH8;
seeds 001 and 003). The offences recorded before keep the reading they had: caused by a drug
user when caused by a person under management. Re-runnable: it only ever sets the flag where
`by_managed_person` is set, never clears one."""

from django.db import migrations, models


def by_managed_person_is_by_drug_user(apps, schema_editor):
    Offence = apps.get_model("communes", "Offence")
    Offence.objects.filter(by_managed_person=True, by_drug_user=False).update(by_drug_user=True)


class Migration(migrations.Migration):
    dependencies = [
        ("communes", "0007_importjob_moved_to_imports"),
    ]

    operations = [
        migrations.AddField(
            model_name="offence",
            name="by_drug_user",
            field=models.BooleanField(
                default=False,
                help_text="Managed or not: a person under management who uses drugs counts too.",
                verbose_name="by a drug user or addict",
            ),
        ),
        migrations.RunPython(by_managed_person_is_by_drug_user, migrations.RunPython.noop),
    ]
