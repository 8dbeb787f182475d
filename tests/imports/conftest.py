import pytest

from assessments.models import RoadmapTarget


@pytest.fixture(autouse=True)
def without_the_plans_roadmaps(request):
    """The roadmap sheet tests expect an empty roadmap; a data migration ships the plans'."""
    uses_database = request.node.get_closest_marker("django_db") or any(
        name in request.fixturenames for name in ("db", "transactional_db")
    )
    if uses_database:
        request.getfixturevalue(
            "transactional_db" if "transactional_db" in request.fixturenames else "db"
        )
        RoadmapTarget.objects.all().delete()
