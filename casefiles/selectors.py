import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery

from core.text import fold_vietnamese

from . import access
from .citizen_id import normalise_citizen_id
from .models import CategoryPeriod, DrugTest, Person, Presence, PresencePeriod

RECENT_TEST_DAYS = 30


def with_current_state(persons: QuerySet[Person]) -> QuerySet[Person]:
    """Annotate each person with their current category, presence and last test date."""
    current_category = CategoryPeriod.objects.filter(
        person=OuterRef("pk"), ended_on__isnull=True
    ).values("category")[:1]
    current_presence = PresencePeriod.objects.filter(
        person=OuterRef("pk"), ended_on__isnull=True
    ).values("status")[:1]
    last_test = (
        DrugTest.objects.filter(person=OuterRef("pk"))
        .order_by("-tested_on")
        .values("tested_on")[:1]
    )
    return persons.annotate(
        current_category=Subquery(current_category),
        current_presence=Subquery(current_presence),
        last_tested_on=Subquery(last_test),
    )


def person_list(
    user,
    *,
    today: datetime.date,
    search: str = "",
    commune_id: int | None = None,
    category: str = "",
    hamlet_id: int | None = None,
    present: str = "",
    no_file: bool = False,
    no_recent_test: bool = False,
    closed: bool = False,
) -> QuerySet[Person]:
    """The people a user may see, filtered as on the list page and the export."""
    persons = with_current_state(
        access.visible_persons(user).select_related("commune", "hamlet")
    ).order_by("search_text", "pk")
    persons = persons.filter(closed_on__isnull=not closed)
    if search:
        folded = fold_vietnamese(search)
        digits = normalise_citizen_id(search)
        condition = Q(search_text__contains=folded)
        if digits.isdigit():
            condition |= Q(citizen_id__contains=digits)
        persons = persons.filter(condition)
    if commune_id:
        persons = persons.filter(commune_id=commune_id)
    if category:
        persons = persons.filter(current_category=category)
    if hamlet_id:
        persons = persons.filter(hamlet_id=hamlet_id)
    if present == "yes":
        persons = persons.filter(current_presence=Presence.PRESENT)
    elif present == "no":
        persons = persons.exclude(current_presence=Presence.PRESENT)
    if no_file:
        persons = persons.filter(file_opened_on__isnull=True)
    if no_recent_test:
        since = today - datetime.timedelta(days=RECENT_TEST_DAYS)
        persons = persons.filter(Q(last_tested_on__isnull=True) | Q(last_tested_on__lt=since))
    return persons
