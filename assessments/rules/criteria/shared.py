"""Recognition criteria that several provincial profiles share (Trà Vinh TV3, TV4, TV7, TV8;
Thanh Hóa TH3, TH4, TH9, TH10) and the provinces' extras on top of QĐ 28 (PLEDGES_100,
MODEL_1)."""

from decimal import Decimal

from ..period import assessment_year
from .checks import PersonCheck, check_persons, missing_persons, tested_since_listed
from .inputs import CriteriaInputs
from .text import date_text, names, number, person_cause
from .verdicts import Cause, Verdict, failed, passed, unknown


def household_pledges(inputs: CriteriaInputs) -> Verdict:
    """Pledged households ≥ households of the commune; unknown without a household count."""
    households = inputs.households
    if not households:
        return unknown("Chưa có số hộ gia đình của xã")
    pledged = inputs.pledged_households
    coverage = f"{number(pledged)}/{number(households)} hộ"
    if pledged >= households:
        return passed(f"Đã ký cam kết {coverage}")
    # Rounded down: 999 of 1,000 must not read as 100%.
    share = Decimal(pledged * 1000 // households) / 10
    return failed(
        f"Đã ký cam kết {coverage} ({number(float(share))}%), "
        f"còn thiếu {number(households - pledged)} hộ"
    )


def hotline_boards(inputs: CriteriaInputs) -> Verdict:
    """Every hamlet shows the hotline board; unknown without the list of hamlets."""
    if not inputs.hamlets:
        return unknown("Chưa có danh sách thôn, ấp, khóm của xã")
    missing = tuple(Cause("hamlet", h.id, h.name) for h in inputs.hamlets if not h.hotline_board)
    total = len(inputs.hamlets)
    if not missing:
        return passed(f"{number(total)}/{number(total)} thôn, ấp, khóm có bảng đường dây nóng")
    evidence = (
        f"{number(len(missing))}/{number(total)} thôn, ấp, khóm chưa có bảng niêm yết số "
        f"điện thoại đường dây nóng: {names(missing)}"
    )
    return failed(evidence, missing)


def not_above_baseline(inputs: CriteriaInputs) -> Verdict:
    """Addicts + illegal users present on D ≤ the same sum at the registration for D's year;
    unknown without a registration. When it fails, the people listed after the registration day
    are named."""
    if inputs.baseline is None:
        year = assessment_year(inputs.as_of)
        return unknown(f"Chưa có đăng ký xây dựng xã không ma túy năm {year}")
    current = inputs.facts.addicts + inputs.facts.illegal_users
    text = f"Hiện có {number(current)} người nghiện, sử dụng trái phép; khi đăng ký: "
    if current <= inputs.baseline:
        return passed(text + number(inputs.baseline))
    causes = ()
    if inputs.registered_on is not None:
        causes = tuple(
            person_cause(person)
            for person in inputs.present_persons("addict", "user")
            if person.listed_on and person.listed_on > inputs.registered_on
        )
    evidence = f"{text}{number(inputs.baseline)}, tăng {number(current - inputs.baseline)}"
    if causes:
        evidence += f"; lập danh sách sau ngày đăng ký: {names(causes)}"
    return failed(evidence, causes)


def suspects_tested(inputs: CriteriaInputs) -> Verdict:
    """Every suspected user on the list (present or not) has a test dated on or after the day
    they were listed, and not after D."""
    if inputs.persons is None:
        return missing_persons()
    suspects = [p for p in inputs.persons if p.category == "suspect"]
    checks: list[PersonCheck] = [
        (
            "chưa được xét nghiệm từ khi lập danh sách",
            lambda p: not tested_since_listed(p, inputs.as_of),
        ),
    ]
    return check_persons(suspects, "người nghi sử dụng", checks)


def prevention_model(inputs: CriteriaInputs) -> Verdict:
    """At least one prevention model active on D."""
    if inputs.active_models is None:
        return unknown("Chưa có dữ liệu mô hình phòng, chống ma túy")
    if inputs.active_models >= 1:
        return passed(
            f"{number(inputs.active_models)} mô hình đang hoạt động ngày {date_text(inputs.as_of)}"
        )
    return failed(f"Không có mô hình phòng, chống ma túy hoạt động ngày {date_text(inputs.as_of)}")
