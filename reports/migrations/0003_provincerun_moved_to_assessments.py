"""ProvinceRun now belongs to the assessments app (assessments/migrations/0006)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0006_provincerun_moved_from_reports'),
        ('reports', '0002_province_runs'),
    ]

    operations = [
        # State only: the table now belongs to the other app's model (see its migration).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='ProvinceRun',
                ),
            ],
            database_operations=[],
        ),
    ]
