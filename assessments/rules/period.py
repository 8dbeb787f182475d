"""The periods of the rules.

- The assessment period (QĐ 28/2025 art. 7): 15 December of the previous year to 14 December.
- The window of recent drug tests: [D − 30 days, D] (Thanh Hóa TH1, TH2).
"""

from datetime import date, timedelta

QD28_YEAR_END = (12, 14)  # (month, day): QĐ 28 art. 7 closes the period on 14 December
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
