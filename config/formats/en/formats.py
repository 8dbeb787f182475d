# English pages use the same dd/mm/yyyy dates and number format as Vietnamese ones.
from config.formats.vi.formats import *  # noqa: F403
