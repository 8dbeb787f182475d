"""A commune's scorecard as people read it: the criteria rows the scorecard page and the
commune profile PDF (reports) both print, and the read-log of the people its evidence names."""

from django.urls import reverse

from casefiles.access import visible_persons
from casefiles.services import person_access_log

from .labels import criterion_title

# Where each kind of cause is kept, for links from the evidence.
CAUSE_URLS = {
    "person": lambda pk: reverse("casefiles:detail", args=[pk]),
    "hotspot": lambda pk: reverse("communes:register_edit", args=["hotspots", pk]),
    "offence": lambda pk: reverse("communes:register_edit", args=["offences", pk]),
    "cultivation": lambda pk: reverse("communes:register_edit", args=["cultivation", pk]),
    "wanted": lambda pk: reverse("communes:register_edit", args=["wanted", pk]),
    "hamlet": lambda pk: reverse("communes:hamlet_edit", args=[pk]),
}


def log_named_people(user, result, *, via: str) -> None:
    """The evidence names people and links their files: showing it is a read of those files."""
    named = {
        cause.id for item in result.criteria for cause in item.causes if cause.kind == "person"
    }
    for person in visible_persons(user).filter(pk__in=named).select_related("commune"):
        person_access_log(person=person, via=via)


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
