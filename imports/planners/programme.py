"""The `registrations` and `roadmap` sheets: the drug-free commune programme of a province."""

from assessments.models import Registration, RoadmapTarget
from assessments.services import registration_refused_changes

from ..parsing import ParsedRow, key_part
from ..state import SkipRow, State
from .common import commune_of, plan_register, present, upsert

REGISTRATION_FIELDS = ("registered_on", "profile", "baseline_addicts", "baseline_users")


def plan_registration(state: State, row: ParsedRow) -> None:
    commune = commune_of(state, row)
    year = row.values["year"]
    stored = state.existing["registrations"].get((commune.code, key_part(year)))
    if stored is not None:
        # The admin's rule (assessments.services): a submitted or decided case keeps its terms.
        refused = registration_refused_changes(
            registration=stored, values=present(row, REGISTRATION_FIELDS)
        )
        if refused:
            column = refused[0]
            message = (
                f"đăng ký năm {year} của xã {commune.name} đã nộp hồ sơ công nhận hoặc đã có "
                f"quyết định: không sửa được (đang lưu: {_shown(getattr(stored, column))}); "
                "bỏ cột này hoặc ghi đúng giá trị đang lưu"
            )
            state.fail(row, column, message)
    _registration, action = plan_register(
        state, row, commune, Registration, "year", REGISTRATION_FIELDS
    )
    state.count(row, action)


def _shown(value) -> str:
    return "để trống" if value is None else str(value)


def plan_roadmap(state: State, row: ParsedRow) -> None:
    code, year = row.values["province_code"], row.values["year"]
    province = state.provinces.get(code)
    if province is None:
        if code in state.declared["provinces"] or "communes" in state.unreadable:
            raise SkipRow
        state.fail(
            row, "province_code", f"không có tỉnh mã “{code}” (trong hệ thống hoặc trang communes)"
        )
    if state.allowed_provinces is not None and code not in state.allowed_provinces:
        state.fail(row, "province_code", f"tỉnh mã {code} không thuộc địa bàn của bạn")
    values = present(row, ("target_communes",))
    stored = state.existing["roadmap"].get((code, year))
    _target, action = upsert(
        state, stored, values, lambda: RoadmapTarget(province=province, year=year, **values)
    )
    state.count(row, action)
