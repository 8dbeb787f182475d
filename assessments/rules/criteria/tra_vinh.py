"""Recognition criteria of Trà Vinh 2025 (seed 001, section 3) that are its own: TV1, TV2,
TV5, TV6. The others are in `shared.py`."""

from .checks import (
    PersonCheck,
    caused_by_drug_user,
    check_persons,
    missing_persons,
    no_hotspot_active,
    offences_where,
    periodic_and_surprise_checks,
)
from .inputs import CriteriaInputs
from .text import counted, offence_cause, period_text
from .verdicts import Verdict, all_of, failed, passed


def no_hotspot_no_resident_offence(inputs: CriteriaInputs) -> Verdict:
    """TV1: no hotspot active on D and no drug offence by a resident in the period.

    Seed 001 §3: "không để xảy ra các vụ phạm tội về ma túy do người đang cư trú … gây ra": a
    crime, so an administrative violation (use) is not one (`facts.drug_offences` leaves it
    out, and so do the causes named)."""
    count = inputs.facts.drug_offences
    what = f"vụ phạm tội về ma túy do người cư trú gây ra trong {period_text(inputs)}"
    if count == 0:
        offences = passed(f"không có {what}")
    else:
        causes = tuple(
            offence_cause(o) for o in inputs.offences or () if o.resident_offenders and o.is_crime
        )
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
    """TV2 (users): every illegal user and post-rehab person present has a file and, in the
    period (up to D), at least one periodic AND at least one surprise test.

    Seed 001 §3: "100% người sử dụng trái phép ma túy, người sau cai nghiện được lập hồ sơ
    quản lý, theo dõi chặt chẽ, định kỳ và đột xuất phải được xét nghiệm". The plan gives no
    frequency, so one test of each kind in the period is the least that shows both."""
    if inputs.persons is None:
        return missing_persons()
    checks: list[PersonCheck] = [
        ("chưa có hồ sơ", lambda p: not p.has_file),
        *periodic_and_surprise_checks(inputs),
    ]
    people = inputs.present_persons("user", "post_rehab")
    return check_persons(people, "người sử dụng trái phép, sau cai nghiện", checks)


def no_offence_by_managed(inputs: CriteriaInputs) -> Verdict:
    """TV5: relapse is found in time, so no offence in the period was committed by a person
    under management (an illegal user or a post-rehab person).

    Reading: the seed asks that relapse "không để gây ra các vụ phạm tội trên địa bàn"; the
    offence register's `by_managed_person` flag is that fact. A crime ("vụ phạm tội"): an
    administrative violation (use) is the relapse found, not a crime it caused."""
    return offences_where(
        inputs,
        "vụ phạm tội do người đang bị quản lý gây ra",
        lambda o: o.by_managed_person and o.is_crime,
    )


def no_serious_incident_tra_vinh(inputs: CriteriaInputs) -> Verdict:
    """TV6: no very or especially serious case caused by a user or addict, managed or not, and
    no psychosis ("ngáo đá") incident.

    Seed 001 §3: "Không để sót, lọt các đối tượng sử dụng trái phép chất ma túy, nghiện ma túy
    gây ra các vụ việc, vụ án rất nghiêm trọng, đặc biệt nghiêm trọng hoặc các vụ việc có biểu
    hiện “ngáo đá”": any user or addict (`by_drug_user`), not only people under management (a
    person under management counts too); "hoặc": any psychosis incident whatever its gravity."""
    return offences_where(
        inputs,
        "vụ rất nghiêm trọng, đặc biệt nghiêm trọng do người sử dụng, nghiện ma túy gây ra "
        "hoặc vụ “ngáo đá”",
        lambda o: (o.serious and caused_by_drug_user(o)) or o.psychosis_incident,
    )
