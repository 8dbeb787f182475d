"""A commune's scorecard as people read it: the criteria rows the scorecard page and the
commune profile PDF (reports) both print, and the read-log of the people its evidence names."""

import re
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse

from casefiles.access import visible_persons
from casefiles.models import Person
from casefiles.services import people_access_log

from .labels import criterion_title
from .rules import RELAPSE_READINGS

# Where each kind of cause is kept, for links from the evidence.
CAUSE_URLS = {
    "person": lambda pk: reverse("casefiles:detail", args=[pk]),
    "hotspot": lambda pk: reverse("communes:register_edit", args=["hotspots", pk]),
    "offence": lambda pk: reverse("communes:register_edit", args=["offences", pk]),
    "cultivation": lambda pk: reverse("communes:register_edit", args=["cultivation", pk]),
    "wanted": lambda pk: reverse("communes:register_edit", args=["wanted", pk]),
    "hamlet": lambda pk: reverse("communes:hamlet_edit", args=[pk]),
}


def named_people(
    user, *, live=None, stored: Iterable[dict] = (), commune=None, person_ids: Iterable[int] = ()
) -> list[Person]:
    """The people a scorecard's evidence names, among those the user may see, in one query.

    A live result's causes carry the people's ids. A stored scorecard (an assessment's
    criteria, a case's frozen scorecard) keeps only the evidence's words: there, the people of
    `commune`, or moved out of it, whose full name stands whole in the words are taken; a
    namesake too, since one read too many in the log is better than one missing.
    """
    ids = {
        cause.id
        for item in (live.criteria if live is not None else ())
        for cause in item.causes
        if cause.kind == "person"
    } | set(person_ids)
    words = "\n".join(item.get("evidence", "") for item in stored)
    condition = Q(pk__in=ids)
    if words and commune is not None:
        condition |= Q(commune=commune) | Q(moves__from_commune=commune)
    elif not ids:
        return []
    persons = visible_persons(user).filter(condition).select_related("commune").distinct()
    return [person for person in persons if person.pk in ids or _named_in(person, words)]


def _named_in(person: Person, words: str) -> bool:
    # Whole words: "Nông Văn An" is not named by "Nông Văn Anh".
    return re.search(rf"(?<!\w){re.escape(person.full_name)}(?!\w)", words) is not None


def log_named_people(user, result, *, via: str) -> None:
    """The evidence names people and links their files: showing it is a read of those files,
    written in one INSERT."""
    people_access_log(user=user, persons=named_people(user, live=result), via=via)


def criteria_rows(result, *, show_causes: bool):
    return [
        {
            "code": item.code,
            "title": criterion_title(item.code),
            "result": item.result.value,
            # Leaders see results, never names: evidence names people and places.
            "evidence": item.evidence if show_causes else "",
            "causes": [
                (cause.label, CAUSE_URLS[cause.kind](cause.id) if cause.kind in CAUSE_URLS else "")
                for cause in item.causes
            ]
            if show_causes
            else [],
        }
        for item in result.criteria
    ]


def relapse_fact_rows(found: Iterable[dict]) -> list[dict]:
    """The adverse facts a relapse flag found (RecognitionCase.relapse_facts), each with what
    makes it adverse in words and a link to its row."""
    return [
        {
            "reading": RELAPSE_READINGS.get(fact["reading"], fact["reading"]),
            "label": fact["label"],
            "url": CAUSE_URLS[fact["kind"]](fact["id"]) if fact["kind"] in CAUSE_URLS else "",
        }
        for fact in found
    ]
