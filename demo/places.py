"""The demo province: Lạng Sơn with 65 commune-level units, for `manage.py seed_demo`.

The 16 communes striving to be drug-free in 2025 are those named in the footnote of the
Lạng Sơn plan (shared/seeds/004_52e4ef7df076ac12.txt). The other names are demo names; codes,
populations, households and hamlets are synthetic, drawn from a random generator seeded with
the commune's code so that every run produces the same rows.
"""

import random
from dataclasses import dataclass

PROVINCE_CODE = "20"
PROVINCE_NAME = "Lạng Sơn"

# Footnote [1] of the Lạng Sơn plan: the 16 communes registered for 2025.
REGISTERED_2025 = [
    "Công Sơn", "Lợi Bác", "Thống Nhất", "Xuân Dương", "Châu Sơn", "Thái Bình", "Chiến Thắng",
    "Nhân Lý", "Hồng Phong", "Quý Hòa", "Thiện Hòa", "Thiện Thuật", "Thiện Long", "Tân Tiến",
    "Kháng Chiến", "Đoàn Kết",
]  # fmt: skip
WARDS = ["Tam Thanh", "Lương Văn Tri", "Đông Kinh", "Kỳ Lừa"]
OTHER_COMMUNES = [
    "Hữu Lũng", "Chi Lăng", "Đồng Đăng", "Cao Lộc", "Lộc Bình", "Đình Lập", "Bắc Sơn",
    "Bình Gia", "Văn Quan", "Văn Lãng", "Tràng Định", "Na Sầm", "Hoàng Văn Thụ", "Na Dương",
    "Mẫu Sơn", "Thất Khê", "Ba Sơn", "Bằng Mạc", "Vạn Linh", "Quan Sơn", "Hữu Liên", "Yên Bình",
    "Hòa Bình", "Tân Thành", "Vân Nham", "Cai Kinh", "Tuấn Sơn", "Thiện Tân", "Khánh Khê",
    "Điềm He", "Tri Lễ", "Khuất Xá", "Tân Văn", "Hưng Vũ", "Vũ Lăng", "Nhất Hòa", "Vũ Lễ",
    "Hoa Thám", "Thụy Hùng", "Hội Hoan", "Quốc Khánh", "Tân Đoàn", "Kiên Mộc", "Lộc Yên",
    "Xuân Mai",
]  # fmt: skip
BORDER = {"Đồng Đăng", "Tràng Định", "Văn Lãng", "Cao Lộc", "Mẫu Sơn", "Na Sầm", "Thụy Hùng",
          "Quốc Khánh", "Tân Thành", "Khuất Xá"}  # fmt: skip
KEY_ROUTE = {"Hữu Lũng", "Chi Lăng", "Đồng Đăng", "Cao Lộc", "Vân Nham", "Tân Thành",
             "Hoàng Văn Thụ", "Kỳ Lừa", "Tam Thanh"}  # fmt: skip

HAMLET_FIRST = [
    "Nà",
    "Khau",
    "Pác",
    "Bản",
    "Còn",
    "Khòn",
    "Phai",
    "Bó",
    "Lùng",
    "Pò",
    "Nà Pe",
    "Kéo",
]
HAMLET_SECOND = ["Cạn", "Mạ", "Sla", "Pàn", "Vài", "Rọ", "Đông", "Tẩu", "Lầy", "Mò", "Pheo", "Cáy",
                 "Slằng", "Hin", "Nọi", "Luông"]  # fmt: skip


@dataclass(frozen=True)
class DemoHamlet:
    name: str
    households: int
    hotline_board: bool
    mailbox: bool


@dataclass(frozen=True)
class DemoCommune:
    code: str
    name: str
    kind: str
    population: int
    households: int
    on_key_route: bool
    border: bool
    former_district: str
    hamlets: tuple[DemoHamlet, ...]


def _hamlets(rng: random.Random, is_ward: bool) -> tuple[DemoHamlet, ...]:
    count = rng.randint(6, 10) if is_ward else rng.randint(5, 12)
    if is_ward:
        names = [f"Khối {number}" for number in range(1, count + 1)]
    else:
        pairs = rng.sample([(a, b) for a in HAMLET_FIRST for b in HAMLET_SECOND], count)
        names = [f"Thôn {first} {second}" for first, second in pairs]
    return tuple(
        DemoHamlet(
            name=name,
            households=rng.randint(150, 450),
            hotline_board=rng.random() < 0.85,
            mailbox=rng.random() < 0.7,
        )
        for name in names
    )


def demo_communes() -> list[DemoCommune]:
    names = [(name, "xa") for name in REGISTERED_2025]
    names += [(name, "phuong") for name in WARDS]
    names += [(name, "xa") for name in OTHER_COMMUNES]
    communes = []
    for number, (name, kind) in enumerate(names, start=1):
        code = f"{PROVINCE_CODE}{number:03d}"
        rng = random.Random(code)  # noqa: S311 — demo data, not security
        hamlets = _hamlets(rng, is_ward=kind == "phuong")
        households = sum(hamlet.households for hamlet in hamlets)
        communes.append(
            DemoCommune(
                code=code,
                name=name,
                kind=kind,
                population=round(households * rng.uniform(3.6, 4.4)),
                households=households,
                on_key_route=name in KEY_ROUTE,
                border=name in BORDER,
                former_district="Thành phố Lạng Sơn" if kind == "phuong" else "",
                hamlets=hamlets,
            )
        )
    return communes
