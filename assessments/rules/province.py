"""Whether a province is a key area (QĐ 28/2025 art. 5)."""

from dataclasses import dataclass
from fractions import Fraction

from .profiles import QD28_PROVINCE, ProvinceThresholds, Threshold
from .ratios import exact, percent


@dataclass(frozen=True)
class ProvinceFacts:
    population: int
    addicts: int = 0  # with a management file, residing
    illegal_users: int = 0
    harbouring_places: int = 0
    arrested_offenders: int = 0
    communes: int = 0  # communes, wards and special zones of the province
    type_1_2_communes: int = 0
    drug_plants: int = 0
    plant_area_m2: float = 0.0
    on_interprovincial_route: bool = False


@dataclass(frozen=True)
class ProvinceResult:
    key_area: bool
    met: tuple[str, ...]  # codes of PROVINCE_CRITERIA that the province meets, in that order


PROVINCE_CRITERIA = (
    "users_ratio",
    "harbouring_places",
    "arrests_ratio",
    "key_communes_ratio",
    "plants",
    "interprovincial_route",
)


def classify_province(
    facts: ProvinceFacts, thresholds: ProvinceThresholds = QD28_PROVINCE
) -> ProvinceResult:
    users = percent(facts.addicts + facts.illegal_users, facts.population)
    arrests = percent(facts.arrested_offenders, facts.population)
    key_communes = percent(facts.type_1_2_communes, facts.communes)
    checks = {
        "users_ratio": _at_least(users, thresholds.users_percent),
        "harbouring_places": _at_least(facts.harbouring_places, thresholds.harbouring_places),
        "arrests_ratio": _at_least(arrests, thresholds.arrests_percent),
        "key_communes_ratio": _at_least(key_communes, thresholds.key_communes_percent),
        "plants": _at_least(facts.drug_plants, thresholds.plants)
        or _at_least(facts.plant_area_m2, thresholds.plant_area_m2),
        "interprovincial_route": facts.on_interprovincial_route,
    }
    met = tuple(code for code in PROVINCE_CRITERIA if checks[code])
    return ProvinceResult(key_area=len(met) >= thresholds.min_criteria, met=met)


def _at_least(value: int | float | Fraction | None, threshold: Threshold) -> bool:
    return value is not None and value > 0 and value >= exact(threshold)
