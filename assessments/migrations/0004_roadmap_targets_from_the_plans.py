"""The provinces' roadmaps as their plans write them (shared/seeds): cumulative drug-free
communes per year. Re-runnable: existing rows are left as they are (they may have been edited)."""

from django.db import migrations

PLANS = {
    # code: (name, {year: target}); seed 000 (Ninh Bình, 130 communes), 004 (Lạng Sơn, 65),
    # 001 (Trà Vinh, 104: "at least 20%" in 2025, i.e. 21 communes).
    "37": ("Ninh Bình", {2025: 26, 2026: 39, 2027: 46, 2028: 52, 2029: 59, 2030: 65}),
    "20": ("Lạng Sơn", {2025: 16, 2026: 17, 2027: 20, 2028: 26, 2029: 29, 2030: 33}),
    "84": ("Trà Vinh", {2025: 21}),
}


def add_targets(apps, schema_editor):
    Province = apps.get_model("communes", "Province")
    RoadmapTarget = apps.get_model("assessments", "RoadmapTarget")
    for code, (name, targets) in PLANS.items():
        province, _created = Province.objects.get_or_create(code=code, defaults={"name": name})
        for year, target in targets.items():
            RoadmapTarget.objects.get_or_create(
                province=province, year=year, defaults={"target_communes": target}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_recognition_cases"),
        ("communes", "0006_province_programme_year_end"),
    ]

    operations = [migrations.RunPython(add_targets, migrations.RunPython.noop)]
