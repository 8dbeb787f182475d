"""ImportJob moves from communes to imports; its table keeps its name."""

import django.db.models.deletion
import imports.models
import uuid
from django.conf import settings
from django.db import migrations, models


def _move_content_type(old_app, new_app, model):
    """Keep the model's content type (and the permissions and audit entries that point at it)."""

    def move(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType")
        if not content_types.objects.filter(app_label=new_app, model=model).exists():
            content_types.objects.filter(app_label=old_app, model=model).update(app_label=new_app)

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('communes', '0006_province_programme_year_end'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The table stays where it is (communes created it); only Django's idea of whose
        # model it is changes, so an existing database migrates without copying a row.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('progress', models.PositiveSmallIntegerField(default=0)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('token', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('file', models.FileField(upload_to=imports.models._upload_path)),
                        ('original_name', models.CharField(max_length=255)),
                        ('status', models.CharField(choices=[('validating', 'checking the workbook'), ('invalid', 'has errors, nothing written'), ('ready', 'checked, waiting for confirmation'), ('applying', 'writing'), ('done', 'imported'), ('failed', 'failed, nothing written')], default='validating', max_length=16)),
                        ('counts', models.JSONField(default=dict)),
                        ('errors', models.JSONField(default=list)),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='import_jobs', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'workbook import',
                        'verbose_name_plural': 'workbook imports',
                        'db_table': 'communes_importjob',
                        'ordering': ['-created_at'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            _move_content_type("communes", "imports", "importjob"),
            _move_content_type("imports", "communes", "importjob"),
        ),
    ]
