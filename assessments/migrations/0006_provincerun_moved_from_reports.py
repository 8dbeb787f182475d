"""ProvinceRun moves from reports to assessments; its table keeps its name."""

import django.db.models.deletion
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

    dependencies = [
        ('reports', '0002_province_runs'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('assessments', '0005_assessment_latest_index'),
        ('communes', '0006_province_programme_year_end'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The table stays where it is (reports created it); only Django's idea of whose
        # model it is changes, so an existing database migrates without copying a row.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ProvinceRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('progress', models.PositiveSmallIntegerField(default=0)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('as_of', models.DateField(verbose_name='as of')),
                        ('requested_at', models.DateTimeField(auto_now_add=True)),
                        ('state', models.CharField(choices=[('queued', 'queued'), ('running', 'being built'), ('done', 'ready'), ('failed', 'failed')], default='queued', max_length=16)),
                        ('error', models.TextField(blank=True)),
                        ('dashboard', models.JSONField(blank=True, null=True)),
                        ('province', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='province_runs', to='communes.province')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'province assessment run',
                        'verbose_name_plural': 'province assessment runs',
                        'db_table': 'reports_provincerun',
                        'ordering': ['-requested_at'],
                        'indexes': [models.Index(fields=['province', 'state', '-finished_at'], name='province_run_latest_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            _move_content_type("reports", "assessments", "provincerun"),
            _move_content_type("assessments", "reports", "provincerun"),
        ),
    ]
