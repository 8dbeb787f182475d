"""Recognition criteria of Trà Vinh 2025 (seed 001, section 3) that are its own: TV1, TV2,
TV5, TV6. The others are in `shared.py`."""

from .checks import (
    PersonCheck,
    check_persons,
    missing_persons,
    no_hotspot_active,
    offences_where,
    tested_in_period,
)
from .inputs import CriteriaInputs
from .text import counted, offence_cause, period_text
from .verdicts import Verdict, all_of, failed, passed


def no_hotspot_no_resident_offence(inputs: CriteriaInputs) -> Verdict:
    """TV1: no hotspot active on D and no drug offence by a resident in the period."""
    count = inputs.facts.drug_offences
    what = f"vụ phạm tội về ma túy do người cư trú gây ra trong {period_text(inputs)}"
    if count == 0:
        offences = passed(f"không có {what}")
    else:
        causes = tuple(offence_cause(o) for o in inputs.offences or () if o.resident_offenders)
        offences = failed(counted(count, what, causes), causes)
    return all_of(no_hotspot_active(inputs), offences)


def addicts_filed_in_rehab(inputs: CriteriaInputs) -> Verdict:
    """TV2 (addicts): every addict present has a file and a rehab or treatment episode open on D.

    Reading: the plan's targets (2.2) say "addicts present in the locality", so addicts absent
    on D (in compulsory rehab, prison, moved away) are not checked here."""
    if inputs.persons is None:
        return missing_persons()
    checks: list[PersonCheck] = [
        ("chưa có hồ sơ", lambda p: not p.has_file),
        ("chưa được áp dụng hình thức cai nghiện, điều trị", lambda p: not p.in_treatment_on_d),
    ]
    return check_persons(inputs.present_persons("addict"), "người nghiện", checks)


def users_filed_tested(inputs: CriteriaInputs) -> Verdict:
    """TV2 (users): every illegal user and post-rehab person present has a file and was tested
    in the period (up to D).

    Reading: the plan asks for periodic and surprise tests "theo quy định" without a frequency,
    so one test of either kind in the period is the least that shows they are tested."""
    if inputs.persons is None:
        return missing_persons()
    checks: list[PersonCheck] = [
        ("chưa có hồ sơ", lambda p: not p.has_file),
        (
            f"chưa được xét nghiệm trong {period_text(inputs)}",
            lambda p: not tested_in_period(p, inputs),
        ),
    ]
    people = inputs.present_persons("user", "post_rehab")
    return check_persons(people, "người sử dụng trái phép, sau cai nghiện", checks)


def no_offence_by_managed(inputs: CriteriaInputs) -> Verdict:
    """TV5: relapse is found in time, so no offence in the period was committed by a person
    under management (an illegal user or a post-rehab person).

    Reading: the seed asks that relapse "không để gây ra các vụ phạm tội trên địa bàn"; the
    offence register's `by_managed_person` flag is that fact."""
    return offences_where(
        inputs, "vụ việc do người đang bị quản lý gây ra", lambda o: o.by_managed_person
    )


def no_serious_incident_tra_vinh(inputs: CriteriaInputs) -> Verdict:
    """TV6: no very or especially serious case caused by a user or addict, and no psychosis
    ("ngáo đá") incident.

    Reading: the seed joins the two with "hoặc": a serious offence by a person under management,
    or any psychosis incident whatever its gravity."""
    return offences_where(
        inputs,
        "vụ rất nghiêm trọng, đặc biệt nghiêm trọng do người bị quản lý gây ra hoặc vụ “ngáo đá”",
        lambda o: (o.serious and o.by_managed_person) or o.psychosis_incident,
    )
