"""Every period the portal uses, computed here and nowhere else.

- The assessment period (QĐ 28/2025 art. 7): 15 December of the previous year to 14 December.
- A province's programme year: the same shape, ending on the province's own cut-off (the
  caller passes `Province.year_end_month` and `year_end_day`).
- The report periods of the Lạng Sơn plan (seed 004): up to 10 June and 10 December, due two
  days later.
- The window of recent drug tests: [D − 30 days, D] (Thanh Hóa TH1, TH2).
"""

from dataclasses import dataclass
from datetime import date, timedelta

QD28_YEAR_END = (12, 14)  # (month, day): QĐ 28 art. 7 closes the period on 14 December
REPORT_YEAR_END = (12, 10)  # the Lạng Sơn plan's reporting cut-offs
REPORT_HALF_YEAR_END = (6, 10)
REPORT_DUE_AFTER = timedelta(days=2)
RECENT_TEST_DAYS = 30


def programme_period(day: date, year_end_month: int, year_end_day: int) -> tuple[date, date]:
    """The year containing `day` that ends on `year_end_month`/`year_end_day`, both ends
    included: (the day after that date a year earlier, that date)."""
    end = date(day.year, year_end_month, year_end_day)
    if day > end:
        end = end.replace(year=day.year + 1)
    start = end.replace(year=end.year - 1) + timedelta(days=1)
    return start, end


def assessment_period(day: date) -> tuple[date, date]:
    """15 December of the previous year to 14 December, both included."""
    return programme_period(day, *QD28_YEAR_END)


def assessment_year(day: date) -> int:
    """The year whose 14 December closes the period that contains `day`."""
    return assessment_period(day)[1].year


def recent_window(as_of: date) -> tuple[date, date]:
    """[D − 30 days, D], both ends included."""
    return as_of - timedelta(days=RECENT_TEST_DAYS), as_of


@dataclass(frozen=True)
class Period:
    """A report's period."""

    kind: str  # "six_month" | "annual" | "year_to_date" | "custom"
    start: date
    end: date
    due: date | None = None


def six_month_period(year: int) -> Period:
    """Lạng Sơn plan (seed 004): 10 December of the previous year to 10 June, due 12 June."""
    end = date(year, *REPORT_HALF_YEAR_END)
    return Period("six_month", date(year - 1, *REPORT_YEAR_END), end, end + REPORT_DUE_AFTER)


def annual_period(year: int) -> Period:
    """10 December of the previous year to 10 December, due 12 December."""
    end = date(year, *REPORT_YEAR_END)
    return Period("annual", date(year - 1, *REPORT_YEAR_END), end, end + REPORT_DUE_AFTER)


def year_to_date(today: date) -> Period:
    """The current annual reporting period, up to today (for dashboards)."""
    year = today.year if today <= date(today.year, *REPORT_YEAR_END) else today.year + 1
    return Period("year_to_date", annual_period(year).start, today)
