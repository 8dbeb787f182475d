"""ImportJob now belongs to the imports app (imports/migrations/0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0001_importjob_moved_from_communes'),
        ('communes', '0006_province_programme_year_end'),
    ]

    operations = [
        # State only: the table now belongs to the other app's model (see its migration).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='ImportJob',
                ),
            ],
            database_operations=[],
        ),
    ]
