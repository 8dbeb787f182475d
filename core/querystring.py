"""Reading list filters from the query string and writing them back into pagination links."""

from django.utils.http import urlencode

# Row ids are BigAutoField: 1 to 2**63 - 1. Anything else names no row, and a larger number
# would overflow the database's integer (an OverflowError on SQLite, a 500 either way).
LARGEST_ID = 2**63 - 1


def int_or_none(value):
    """An id typed in the query string, or None when it is missing, not a number, or no
    possible id (zero, negative, beyond the database's integers)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= LARGEST_ID else None


def query_prefix(params) -> str:
    """The filters that are set, as "a=1&b=2&", for pagination links to append page=N to."""
    kept = {name: value for name, value in params.items() if value}
    return urlencode(kept) + "&" if kept else ""


def kept_filters(request, keys) -> str:
    """query_prefix of the request's own values for `keys`."""
    return query_prefix({key: request.GET.get(key) for key in keys})
