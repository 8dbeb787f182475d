"""The `registrations` and `roadmap` sheets: the drug-free commune programme of a province."""

from assessments.models import Registration, RoadmapTarget

from ..parsing import ParsedRow
from ..state import SkipRow, State
from .common import plan_counted, present, upsert


def plan_registration(state: State, row: ParsedRow) -> None:
    fields = ("registered_on", "profile", "baseline_addicts", "baseline_users")
    plan_counted(state, row, Registration, "year", fields)


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
