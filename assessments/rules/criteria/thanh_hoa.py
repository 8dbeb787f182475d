"""Recognition criteria of Thanh Hóa 2024–2025 (seed 003, section II) that are its own: TH1,
TH2, TH5, TH6, TH7, TH8. The others are in `shared.py`."""

from ..period import recent_window
from .checks import (
    PersonCheck,
    caused_by_drug_user,
    check_persons,
    missing_persons,
    negative_and_not_positive_since,
    no_hotspot_active,
    no_wanted_hiding,
    offences_where,
    periodic_and_surprise_checks,
    supported_in_period,
)
from .inputs import CriteriaInputs
from .text import counted, cultivation_cause, date_text, number, period_text
from .verdicts import Outcome, Verdict, all_of, failed, passed

TH1_MAX_ADDICTS = 9  # "dưới 10 người nghiện"


def addicts_under_10_negative_30d(inputs: CriteriaInputs) -> Verdict:
    """TH1: fewer than 10 addicts present, each with a file, in a rehab or treatment episode
    open on D, with a negative test in [D − 30, D] and no positive test after it."""
    if inputs.persons is None:
        return missing_persons()
    addicts = inputs.present_persons("addict")
    start, _ = recent_window(inputs.as_of)
    checks: list[PersonCheck] = [
        ("chưa có hồ sơ", lambda p: not p.has_file),
        ("không đang cai nghiện, điều trị", lambda p: not p.in_treatment_on_d),
        (
            f"không có kết quả âm tính từ {date_text(start)} hoặc dương tính sau đó",
            lambda p: not negative_and_not_positive_since(p, inputs.as_of),
        ),
    ]
    people = check_persons(addicts, "người nghiện", checks)
    count = f"{number(len(addicts))} người nghiện ngoài cộng đồng"
    if len(addicts) <= TH1_MAX_ADDICTS:
        return people if people.result == Outcome.FAIL else passed(f"{count}, đều đạt yêu cầu")
    too_many = failed(f"{count} (phải dưới 10)")
    return all_of(too_many, people) if people.result == Outcome.FAIL else too_many


def users_negative_30d(inputs: CriteriaInputs) -> Verdict:
    """TH2: every illegal user present and every person flagged for psychosis present has a
    management file, a negative test in [D − 30, D] and no positive test after it.

    Seed 003 §II: "100% người sử dụng trái phép chất ma túy, người có biểu hiện loạn thần
    "ngáo đá" cư trú tại địa bàn được phát hiện, lập hồ sơ quản lý …; đồng thời có kết quả âm
    tính khi xét nghiệm … cách thời điểm đề nghị công nhận không quá 30 ngày": a positive test
    after the negative one means the negative one no longer stands (as TH1)."""
    if inputs.persons is None:
        return missing_persons()
    people = [p for p in inputs.persons if p.present and (p.category == "user" or p.psychosis)]
    start, _ = recent_window(inputs.as_of)
    checks: list[PersonCheck] = [
        ("chưa có hồ sơ", lambda p: not p.has_file),
        (
            f"không có kết quả âm tính từ {date_text(start)} đến {date_text(inputs.as_of)} "
            "hoặc dương tính sau đó",
            lambda p: not negative_and_not_positive_since(p, inputs.as_of),
        ),
    ]
    return check_persons(people, "người sử dụng trái phép, có biểu hiện loạn thần", checks)


def post_rehab_managed(inputs: CriteriaInputs) -> Verdict:
    """TH5: every post-rehab person present has a file, was tested in the period at least once
    periodically AND at least once by surprise, and was given counselling or help (job,
    training, loan) in the period.

    Seed 003 §II: "100% người sau cai nghiện ma túy có hồ sơ quản lý, được giám sát chặt chẽ và
    định kỳ, đột xuất phải được xét nghiệm …; được tư vấn, hỗ trợ, giúp đỡ tìm kiếm việc làm";
    a test of each kind and a recorded support action in the period are what the registers can
    show of that."""
    if inputs.persons is None:
        return missing_persons()
    checks: list[PersonCheck] = [
        ("chưa có hồ sơ", lambda p: not p.has_file),
        *periodic_and_surprise_checks(inputs),
        (
            f"chưa được tư vấn, hỗ trợ trong {period_text(inputs)}",
            lambda p: not supported_in_period(p, inputs),
        ),
    ]
    return check_persons(inputs.present_persons("post_rehab"), "người sau cai nghiện", checks)


def no_hotspot_plant_production(inputs: CriteriaInputs) -> Verdict:
    """TH6: no hotspot active on D, no drug plants found and no production offence in the
    period."""
    finds = inputs.cultivation or ()
    facts = inputs.facts
    if finds or facts.drug_plants or facts.plant_area_m2:
        causes = tuple(cultivation_cause(find) for find in finds)
        count = len(finds) or 1  # the counts of facts say there was at least one find
        what = f"vụ phát hiện trồng cây có chứa chất ma túy trong {period_text(inputs)}"
        plants = failed(counted(count, what, causes), causes)
    else:
        plants = passed(
            f"không phát hiện trồng cây có chứa chất ma túy trong {period_text(inputs)}"
        )
    production = offences_where(
        inputs, "vụ sản xuất trái phép chất ma túy", lambda o: o.kind == "production"
    )
    return all_of(no_hotspot_active(inputs), plants, production)


def offenders_arrested(inputs: CriteriaInputs) -> Verdict:
    """TH7: every drug offender residing in the commune arrested, and every wanted drug offender
    hiding there arrested (none hiding on D).

    Reading: the seed asks to arrest "100% người phạm tội về ma túy cư trú trên địa bàn". The
    offence register counts offenders, residents and arrests per case but not who was arrested,
    so each criminal case needs at least as many arrests as resident offenders. Administrative
    drug use is handled, not arrested, and is left out. "Xử lý 100% người vi phạm" has no
    register of its own and is not checked."""
    unarrested = offences_where(
        inputs,
        "vụ còn người phạm tội cư trú trên địa bàn chưa bị bắt giữ",
        lambda o: o.is_crime and o.offenders_arrested < o.resident_offenders,
    )
    return all_of(unarrested, no_wanted_hiding(inputs))


def no_serious_incident_thanh_hoa(inputs: CriteriaInputs) -> Verdict:
    """TH8: no very or especially serious case caused by an addict, a user (managed or not) or
    a person with psychosis.

    Seed 003 §II: "Không để sót, lọt các đối tượng là công dân trên địa bàn nghiện ma túy, sử
    dụng trái phép chất ma túy, các đối tượng có biểu hiện loạn thần, "ngáo đá" gây ra các vụ
    việc, vụ án rất nghiêm trọng, đặc biệt nghiêm trọng": any user or addict (`by_drug_user`),
    not only people under management. Unlike Trà Vinh the seed makes "rất nghiêm trọng, đặc
    biệt nghiêm trọng" apply to all three groups, so a psychosis incident fails only when it is
    serious."""
    return offences_where(
        inputs,
        "vụ rất nghiêm trọng, đặc biệt nghiêm trọng do người nghiện, sử dụng, loạn thần gây ra",
        lambda o: o.serious and (caused_by_drug_user(o) or o.psychosis_incident),
    )
