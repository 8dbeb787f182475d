"""The words for the rules' codes, for every page, PDF, Excel file and the admin.

The rules keep the source text (`Level.label`, each criterion's title in the registry); this
module translates a level's label in the language active when it is called.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from .rules import CRITERION_TITLES, QD28_PROVINCE, Level, level_undetermined


def level_label(level: Level | str | None) -> str:
    """ "Trọng điểm loại I" for "type_1" (in the active language); "" for no level."""
    if not level:
        return ""
    try:
        return gettext(Level(level).label)
    except ValueError:
        return str(level)


# The facts a level may lack (contracts.md §4 `data_gaps`), in words.
DATA_GAP_WORDS = {"population": gettext_noop("population")}


def data_gaps_label(data_gaps) -> str:
    """ "nhân khẩu" for ["population"]; "" when nothing is missing."""
    return ", ".join(
        gettext(DATA_GAP_WORDS[gap]) if gap in DATA_GAP_WORDS else gap for gap in data_gaps
    )


def level_shown(level: Level | str | None, data_gaps=()) -> dict:
    """What a page, a PDF or the admin shows for a commune's level: its label, or "Not enough
    data" with what is missing and the level found without it, when the level rests on a
    missing fact (the ratio criteria without a population: never a silent "less complex")."""
    label = level_label(level)
    gaps = data_gaps_label(data_gaps)
    undetermined = bool(level) and level_undetermined(level, data_gaps)
    if undetermined:
        text = gettext("Not enough data (missing: %(gaps)s; provisional: %(level)s)") % {
            "gaps": gaps,
            "level": label,
        }
    else:
        text = label
    return {
        "level": level or "",
        "label": label,
        "undetermined": undetermined,
        "gaps": gaps,
        "text": text,
    }


# For form fields and filters, in the order of Level (most severe first).
LEVEL_CHOICES = [(level.value, gettext_lazy(level.label)) for level in Level]


def criterion_title(code: str) -> str:
    """The criterion's title (Vietnamese, as the plans word it); the code if it has none."""
    return CRITERION_TITLES.get(code, code)


# QĐ 28 art. 5 criteria in words: each message and the QD28_PROVINCE thresholds it states.
PROVINCE_CRITERION_WORDS = {
    "users_ratio": (
        gettext_noop("users ≥ %(percent)s%% of residents"),
        {"percent": "users_percent"},
    ),
    "harbouring_places": (
        gettext_noop("≥ %(count)s harbouring places"),
        {"count": "harbouring_places"},
    ),
    "arrests_ratio": (
        gettext_noop("arrests ≥ %(percent)s%% of residents"),
        {"percent": "arrests_percent"},
    ),
    "key_communes_ratio": (
        gettext_noop("Type I + II communes ≥ %(percent)s%%"),
        {"percent": "key_communes_percent"},
    ),
    "plants": (
        gettext_noop("≥ %(plants)s plants or ≥ %(area)s m²"),
        {"plants": "plants", "area": "plant_area_m2"},
    ),
    "interprovincial_route": (gettext_noop("on an inter-provincial key route"), {}),
}


def province_criterion_label(code: str) -> str:
    """An art. 5 criterion in words, its threshold read from the rules (QD28_PROVINCE), so the
    page can never state a number the engine does not use."""
    if code not in PROVINCE_CRITERION_WORDS:
        return code
    message, thresholds = PROVINCE_CRITERION_WORDS[code]
    if not thresholds:
        return gettext(message)
    values = {
        name: number_format(getattr(QD28_PROVINCE, field), force_grouping=True)
        for name, field in thresholds.items()
    }
    return gettext(message) % values
