"""Lạng Sơn 2025's own criteria on top of QĐ 28 (plan 214/KH-UBND of 15/8/2025, seed 004,
section II.1 "Mục tiêu"), read per hamlet as the plan words them — never as household pledges:

- "Tổ chức cho 100% cấp xã, thôn, xóm, bản, làng, khu dân cư ký cam kết không tham gia phạm
  tội, tệ nạn ma túy": every hamlet / residential area signs a collective pledge;
- "duy trì hiệu quả ít nhất 01 mô hình/tổ, xóm trong tuyên truyền, vận động Nhân dân tham gia
  phòng, chống ma túy": at least one prevention model kept going in each residential group.

Both read the commune's active hamlets; without a list of hamlets they cannot say (unknown).
"""

from .inputs import CriteriaInputs, HamletDetail
from .text import date_text, names, number
from .verdicts import Cause, Verdict, failed, passed, unknown

HAMLETS_VI = "thôn, xóm, bản, khu dân cư"


def _hamlet_cause(hamlet: HamletDetail) -> Cause:
    return Cause("hamlet", hamlet.id, hamlet.name)


def hamlet_pledges(inputs: CriteriaInputs) -> Verdict:
    """Every active hamlet of the commune has a collective pledge signed on or before D."""
    if not inputs.hamlets:
        return unknown(f"Chưa có danh sách {HAMLETS_VI} của xã")
    day = date_text(inputs.as_of)
    missing = tuple(
        _hamlet_cause(hamlet)
        for hamlet in inputs.hamlets
        if hamlet.pledge_signed_on is None or hamlet.pledge_signed_on > inputs.as_of
    )
    total = number(len(inputs.hamlets))
    if not missing:
        return passed(f"{total}/{total} {HAMLETS_VI} đã ký cam kết đến ngày {day}")
    return failed(
        f"{number(len(missing))}/{total} {HAMLETS_VI} chưa ký cam kết đến ngày {day}: "
        f"{names(missing)}",
        missing,
    )


def model_per_hamlet(inputs: CriteriaInputs) -> Verdict:
    """Every active hamlet of the commune has at least one prevention model active on D (a
    model of the whole commune stands for no hamlet)."""
    if not inputs.hamlets:
        return unknown(f"Chưa có danh sách {HAMLETS_VI} của xã")
    day = date_text(inputs.as_of)
    missing = tuple(_hamlet_cause(hamlet) for hamlet in inputs.hamlets if hamlet.active_models < 1)
    total = number(len(inputs.hamlets))
    if not missing:
        return passed(
            f"{total}/{total} {HAMLETS_VI} có mô hình phòng, chống ma túy hoạt động ngày {day}"
        )
    return failed(
        f"{number(len(missing))}/{total} {HAMLETS_VI} không có mô hình phòng, chống ma túy "
        f"hoạt động ngày {day}: {names(missing)}",
        missing,
    )
