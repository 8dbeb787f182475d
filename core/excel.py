"""Excel helpers shared by every file the portal writes (exports, reports, the import template)."""

# A cell starting with one of these is read by Excel as a formula ("CSV/formula injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text cell inert: Excel shows it as typed instead of evaluating it."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def fit_columns(sheet, *, max_width: int) -> None:
    """Widen each column of an openpyxl sheet to its longest value, up to `max_width`."""
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(width + 2, max_width)
