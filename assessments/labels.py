"""The words for the rules' codes, for every page, PDF, Excel file and the admin.

The rules keep the source text (`Level.label`, each criterion's title in the registry); this
module translates a level's label in the language active when it is called.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy

from .rules import CRITERION_TITLES, QD28_PROVINCE, Level


def level_label(level: Level | str | None) -> str:
    """ "Trọng điểm loại I" for "type_1" (in the active language); "" for no level."""
    if not level:
        return ""
    try:
        return gettext(Level(level).label)
    except ValueError:
        return str(level)


# For form fields and filters, in the order of Level (most severe first).
LEVEL_CHOICES = [(level.value, gettext_lazy(level.label)) for level in Level]


def criterion_title(code: str) -> str:
    """The criterion's title (Vietnamese, as the plans word it); the code if it has none."""
    return CRITERION_TITLES.get(code, code)


def province_criterion_label(code: str) -> str:
    """An art. 5 criterion in words, its threshold read from the rules (QD28_PROVINCE), so the
    page can never state a number the engine does not use."""
    thresholds = QD28_PROVINCE

    def number(value) -> str:
        return number_format(value, force_grouping=True)

    labels = {
        "users_ratio": lambda: (
            gettext("users ≥ %(percent)s%% of residents")
            % {"percent": number(thresholds.users_percent)}
        ),
        "harbouring_places": lambda: (
            gettext("≥ %(count)s harbouring places")
            % {"count": number(thresholds.harbouring_places)}
        ),
        "arrests_ratio": lambda: (
            gettext("arrests ≥ %(percent)s%% of residents")
            % {"percent": number(thresholds.arrests_percent)}
        ),
        "key_communes_ratio": lambda: (
            gettext("Type I + II communes ≥ %(percent)s%%")
            % {"percent": number(thresholds.key_communes_percent)}
        ),
        "plants": lambda: (
            gettext("≥ %(plants)s plants or ≥ %(area)s m²")
            % {"plants": number(thresholds.plants), "area": number(thresholds.plant_area_m2)}
        ),
        "interprovincial_route": lambda: gettext("on an inter-provincial key route"),
    }
    return labels[code]() if code in labels else code
