"""The `communes` and `hamlets` sheets: the places every other sheet refers to."""

from communes.models import Commune, Hamlet, Province
from core.text import fold_vietnamese

from ..cells import name_key
from ..parsing import ParsedRow
from ..state import State
from .common import also_changed, commune_of, present, refuse_frozen, upsert

# A province's code and name are the administrators' (the admin's rule:
# communes.access.changeable_provinces); a provincial officer fills the province's communes.
ONLY_ADMINS = "chỉ quản trị hệ thống được"
COMMUNE_FIELDS = ("name", "kind", "population", "households", "on_key_route", "border")


def plan_commune(state: State, row: ParsedRow) -> None:
    province, province_changed = _province_for_commune(state, row)
    code = row.values["code"]
    commune = state.communes.get(code)
    if commune is not None and not state.may_change(code):
        state.fail(row, "code", f"mã xã “{code}” đã dùng cho một xã ngoài địa bàn của bạn")
    values = {"province": province, **present(row, COMMUNE_FIELDS)}
    if commune is None or "name" in state.plan.changed_fields(commune, values):
        # bulk writes skip Commune.save(), which keeps the folded name for search.
        values["search_text"] = fold_vietnamese(f"{values['name']} {code}")
    commune, action = upsert(state, commune, values, lambda: Commune(code=code, **values))
    state.count(row, also_changed(action, province_changed))
    state.communes[code] = commune
    if state.allowed is not None:
        state.allowed.add(code)  # its province was checked: the user may fill the new commune


def _province_for_commune(state: State, row: ParsedRow) -> tuple[Province, bool]:
    """The commune's province, created or renamed as the row says; True if that changes it."""
    code, name = row.values["province_code"], row.values["province_name"]
    if state.allowed_provinces is not None and code not in state.allowed_provinces:
        state.fail(row, "province_code", f"tỉnh mã {code} không thuộc địa bàn của bạn")
    first_name, first_row = state.province_names.setdefault(code, (name, row.number))
    if first_name != name:
        message = f"khác tên tỉnh “{first_name}” ở dòng {first_row} cho cùng mã tỉnh {code}"
        state.fail(row, "province_name", message)
    province = state.provinces.get(code)
    if province is None:
        if not state.may_change_provinces:
            state.fail(row, "province_code", f"không có tỉnh mã “{code}”; {ONLY_ADMINS} thêm tỉnh")
        state.provinces[code] = state.plan.create(Province(code=code, name=name))
        return state.provinces[code], True
    if name != province.name and not state.may_change_provinces:
        message = f"khác tên tỉnh đang lưu “{province.name}”; {ONLY_ADMINS} đổi tên tỉnh"
        state.fail(row, "province_name", message)
    return province, state.plan.change(province, {"name": name})


def plan_hamlet(state: State, row: ParsedRow) -> None:
    commune = commune_of(state, row)
    name = row.values["name"]
    key = (commune.code, name_key(name))
    values = present(row, ("households", "hotline_board", "mailbox"))
    stored = state.hamlets.get(key)
    refuse_frozen(state, row, stored, values, "name")
    hamlet, action = upsert(
        state, stored, values, lambda: Hamlet(commune=commune, name=name, **values)
    )
    state.count(row, action)
    state.hamlets[key] = hamlet
