"""The words for the rules' codes, for every page, PDF, Excel file and the admin.

The rules keep the source text (`Level.label`, each criterion's title in the registry); this
module translates a level's label in the language active when it is called.
"""

from django.utils.translation import gettext, gettext_lazy

from .rules import CRITERION_TITLES, Level


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
