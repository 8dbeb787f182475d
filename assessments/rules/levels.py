"""The levels of a commune (QĐ 28/2025 art. 4 and 6)."""

from enum import StrEnum


class Level(StrEnum):
    TYPE_1 = "type_1"
    TYPE_2 = "type_2"
    TYPE_3 = "type_3"
    LESS_COMPLEX = "less_complex"
    DRUG_FREE = "drug_free"


LEVEL_BY_TYPE = {1: Level.TYPE_1, 2: Level.TYPE_2, 3: Level.TYPE_3}
