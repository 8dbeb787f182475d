"""The levels of a commune (QĐ 28/2025 art. 4 and 6): their codes, order and labels.

Each level carries its label as an English source string. The rules import no Django, so the
label is only marked here, with a local `gettext_noop` (a name `makemessages` already extracts);
it is translated where it is shown, at that moment, by `assessments.labels.level_label`.
"""

from enum import StrEnum


def gettext_noop(source: str) -> str:
    """Marks a source string for extraction without translating it (Django's function of the
    same name, without importing Django)."""
    return source


class Level(StrEnum):
    """From the most severe to drug-free: the order of the members is the order shown."""

    TYPE_1 = "type_1", gettext_noop("Type I key area")
    TYPE_2 = "type_2", gettext_noop("Type II key area")
    TYPE_3 = "type_3", gettext_noop("Type III key area")
    LESS_COMPLEX = "less_complex", gettext_noop("Less complex")
    DRUG_FREE = "drug_free", gettext_noop("Drug-free")

    label: str  # the English source string; assessments.labels.level_label translates it

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @property
    def rank(self) -> int:
        """0 for Type I up to 4 for drug-free: sorts levels from the most severe."""
        return list(Level).index(self)


LEVEL_BY_TYPE = {1: Level.TYPE_1, 2: Level.TYPE_2, 3: Level.TYPE_3}
