"""Recognition criteria of QĐ 28/2025 art. 6 (profile qd28-2025): Q1, Q2, Q3."""

from .checks import no_wanted_hiding
from .inputs import CriteriaInputs
from .text import (
    counted,
    cultivation_cause,
    hotspot_cause,
    number,
    offence_cause,
    period_text,
    person_cause,
)
from .verdicts import Verdict, all_of, failed, passed


def no_users_except_treatment(inputs: CriteriaInputs) -> Verdict:
    """Art. 6.1: "Không có người hiện đang cư trú trên địa bàn nghiện ma túy, sử dụng trái phép
    chất ma túy, trừ người đang tham gia điều trị nghiện ma túy bằng thuốc thay thế, người đang
    cai nghiện tại gia đình, cộng đồng và người đang bị quản lý sau cai nghiện ma túy".

    Every resident addict or user counts, with a management file or not (art. 4.1 a's "có hồ
    sơ quản lý" is not in art. 6.1): addicts + illegal users − the exempt ones, and the unfiled
    ones, are zero (the counts of `facts`, as `classify` reads them). The people are named."""
    facts = inputs.facts
    remaining = facts.addicts + facts.illegal_users - facts.exempt_users
    if remaining == 0 and facts.unfiled_users == 0:
        evidence = "Không có người nghiện, sử dụng trái phép ngoài diện loại trừ"
        if facts.exempt_users:
            evidence += f"; {number(facts.exempt_users)} người thuộc diện loại trừ"
        return passed(evidence)
    users = [
        person
        for person in inputs.present_persons("addict", "user")
        if not person.exempt_under_art_6_1
    ]
    parts = []
    if remaining:
        causes = tuple(person_cause(person) for person in users if person.has_file)
        what = "người nghiện, sử dụng trái phép cư trú ngoài diện loại trừ (Điều 6.1)"
        parts.append(failed(counted(remaining, what, causes), causes))
    if facts.unfiled_users:
        causes = tuple(person_cause(person) for person in users if not person.has_file)
        what = "người nghiện, sử dụng trái phép cư trú chưa được lập hồ sơ quản lý (Điều 6.1)"
        parts.append(failed(counted(facts.unfiled_users, what, causes), causes))
    return all_of(*parts)


def no_violations_no_fugitives(inputs: CriteriaInputs) -> Verdict:
    """Art. 6.2: no resident broke drug law in the commune in the period, and no wanted drug
    offender hides there on D."""
    return all_of(_no_resident_violators(inputs), no_wanted_hiding(inputs))


def _no_resident_violators(inputs: CriteriaInputs) -> Verdict:
    count = inputs.facts.resident_violators
    if count == 0:
        return passed(
            f"Không có người cư trú vi phạm pháp luật về ma túy trong {period_text(inputs)}"
        )
    causes = (
        *(offence_cause(o) for o in inputs.offences or () if o.resident_offenders),
        *(cultivation_cause(find) for find in inputs.cultivation or ()),
    )
    what = f"người cư trú vi phạm pháp luật về ma túy trong {period_text(inputs)}"
    return failed(counted(count, what, causes), causes)


def no_harbouring_places(inputs: CriteriaInputs) -> Verdict:
    """Art. 6.3: no place organising or harbouring drug use at any time in the period."""
    count = inputs.facts.harbouring_places
    what = f"điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy trong {period_text(inputs)}"
    if count == 0:
        return passed(f"Không có {what}")
    causes = tuple(hotspot_cause(h) for h in inputs.hotspots or () if h.kind == "harbouring")
    return failed(counted(count, what, causes), causes)
