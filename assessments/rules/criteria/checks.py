"""Building blocks that several criteria share: checking a list of people, reading tests
and support in a window, and the checks of hotspots, offences and wanted people."""

from collections.abc import Callable
from datetime import date

from ..period import recent_window
from .inputs import CriteriaInputs, DrugTest, OffenceDetail, PersonDetail
from .text import (
    counted,
    date_text,
    hotspot_cause,
    number,
    offence_cause,
    period_text,
    person_cause,
    wanted_cause,
)
from .verdicts import Cause, Verdict, failed, passed, unique, unknown

PersonCheck = tuple[str, Callable[[PersonDetail], bool]]  # (problem in Vietnamese, has it)


def check_persons(persons: list[PersonDetail], who: str, checks: list[PersonCheck]) -> Verdict:
    """Group the people by problem: "2 người nghiện chưa có hồ sơ: A, B; 1 người nghiện …"."""
    parts = []
    causes: list[Cause] = []
    for problem, has_problem in checks:
        offenders = tuple(person_cause(p) for p in persons if has_problem(p))
        if offenders:
            parts.append(counted(len(offenders), f"{who} {problem}", offenders))
            causes.extend(offenders)
    if parts:
        return failed("; ".join(parts), unique(causes))
    return passed(f"{number(len(persons))} {who}, tất cả đạt yêu cầu")


def tests_between(person: PersonDetail, start: date, end: date) -> list[DrugTest]:
    return [DrugTest(*test) for test in person.tests if start <= test[0] <= end]


def negative_and_not_positive_since(person: PersonDetail, as_of: date) -> bool:
    """A negative test in [D − 30, D] and no positive test after it. A positive test on the
    same day as the last negative one also counts against it: the order within a day is not
    recorded, and recognition should not rest on a coin toss."""
    negatives = [
        t.tested_on for t in tests_between(person, *recent_window(as_of)) if t.result == "negative"
    ]
    if not negatives:
        return False
    last_negative = max(negatives)
    positives = tests_between(person, last_negative, as_of)
    return not any(t.result == "positive" for t in positives)


def tested_in_period(person: PersonDetail, inputs: CriteriaInputs, kind: str) -> bool:
    """A test of `kind` ("periodic" or "surprise") in the period, up to D."""
    start, end = inputs.period
    return any(t.kind == kind for t in tests_between(person, start, min(end, inputs.as_of)))


def periodic_and_surprise_checks(inputs: CriteriaInputs) -> list[PersonCheck]:
    """The seeds' "xét nghiệm định kỳ và đột xuất" (001 §3.2, 003 §II.5): at least one test
    of each kind in the period, up to D; a test of one kind never stands for the other."""
    period = period_text(inputs)
    return [
        (
            f"chưa được xét nghiệm định kỳ trong {period}",
            lambda p: not tested_in_period(p, inputs, "periodic"),
        ),
        (
            f"chưa được xét nghiệm đột xuất trong {period}",
            lambda p: not tested_in_period(p, inputs, "surprise"),
        ),
    ]


def supported_in_period(person: PersonDetail, inputs: CriteriaInputs) -> bool:
    start, end = inputs.period
    return any(start <= day <= min(end, inputs.as_of) for day in person.support_dates)


def tested_since_listed(person: PersonDetail, as_of: date) -> bool:
    since = person.listed_on or date.min
    return bool(tests_between(person, since, as_of))


def missing_persons() -> Verdict:
    return unknown("Chưa có dữ liệu hồ sơ người liên quan đến ma túy")


def missing_offences() -> Verdict:
    return unknown("Chưa có dữ liệu các vụ việc về ma túy trong kỳ")


def no_wanted_hiding(inputs: CriteriaInputs) -> Verdict:
    count = inputs.facts.wanted_hiding
    if count == 0:
        return passed("không có đối tượng truy nã lẩn trốn")
    causes = tuple(wanted_cause(wanted) for wanted in inputs.wanted or ())
    return failed(counted(count, "đối tượng truy nã lẩn trốn", causes), causes)


def no_hotspot_active(inputs: CriteriaInputs) -> Verdict:
    count = inputs.facts.hotspots
    if count == 0:
        return passed(f"Không có điểm, tụ điểm, ổ nhóm hoạt động ngày {date_text(inputs.as_of)}")
    causes = tuple(hotspot_cause(h) for h in inputs.hotspots or () if h.active_on_d)
    what = f"điểm, tụ điểm, ổ nhóm hoạt động ngày {date_text(inputs.as_of)}"
    return failed(counted(count, what, causes), causes)


def caused_by_drug_user(offence: OffenceDetail) -> bool:
    """Caused by a drug user or addict, under management or not: `by_drug_user`, or a person
    under management (an illegal user, an addict or a person after rehab), as the registers
    kept it before they had `by_drug_user`."""
    return offence.by_drug_user or offence.by_managed_person


def offences_where(
    inputs: CriteriaInputs, what: str, matches: Callable[[OffenceDetail], bool]
) -> Verdict:
    """Fails on the offences of the period that match; unknown when offences were not loaded."""
    if inputs.offences is None:
        return missing_offences()
    causes = tuple(offence_cause(o) for o in inputs.offences if matches(o))
    if not causes:
        return passed(f"Không có {what} trong {period_text(inputs)}")
    return failed(counted(len(causes), f"{what} trong {period_text(inputs)}", causes), causes)
