"""Every period the portal uses, computed here and nowhere else.

- The assessment period (QĐ 28/2025 art. 7.1): 15 December of the previous year to 14 December,
  the same for every province. A programme year Y is the period that ends on 14/12/Y.
- A recognition case of programme year Y is judged as of min(submission day, 14/12/Y), over the
  period of Y; it may be submitted until the province's report deadline (contracts.md §2).
- Report periods are per province and separate from the assessment period (domain.md §9): a
  province reports up to its own cut-off (`ReportCalendar`). By default that is the QĐ 28
  report itself (the period closing on 14 December, sent before 20 December, art. 7.2); the
  Lạng Sơn plan (seed 004) reports up to 10 June and 10 December, due two days later. A report
  cut-off never changes the assessment period.
- The window of recent drug tests: [D − 30 days, D] (Thanh Hóa TH1, TH2).
"""

from dataclasses import dataclass
from datetime import date, timedelta

QD28_YEAR_END = (12, 14)  # (month, day): QĐ 28 art. 7.1 closes the period on 14 December
QD28_REPORT_DEADLINE = (12, 20)  # art. 7.2: provincial police report before 20 December
RECENT_TEST_DAYS = 30


def programme_period(day: date, year_end_month: int, year_end_day: int) -> tuple[date, date]:
    """The year containing `day` that ends on `year_end_month`/`year_end_day`, both ends
    included: (the day after that date a year earlier, that date). A report period's shape;
    the assessment period is `assessment_period`, whatever a province's report dates."""
    end = date(day.year, year_end_month, year_end_day)
    if day > end:
        end = end.replace(year=day.year + 1)
    start = end.replace(year=end.year - 1) + timedelta(days=1)
    return start, end


def assessment_period(day: date) -> tuple[date, date]:
    """15 December of the previous year to 14 December, both included (art. 7.1)."""
    return programme_period(day, *QD28_YEAR_END)


def assessment_year(day: date) -> int:
    """The programme year of `day`: the year whose 14 December closes the period that
    contains it (16/12/2025 belongs to programme year 2026)."""
    return assessment_period(day)[1].year


def programme_year_period(year: int) -> tuple[date, date]:
    """The assessment period of programme year `year`: 15/12/(year − 1) – 14/12/year."""
    return assessment_period(date(year, *QD28_YEAR_END))


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


@dataclass(frozen=True)
class ReportCalendar:
    """A province's report dates: the annual cut-off (month, day), the half-year cut-off six
    months earlier, and how many days after a cut-off its report is due. Data of the province
    (`Province.year_end_month`, `year_end_day`, `report_due_days`), never the assessment
    period."""

    cut_off: tuple[int, int] = QD28_YEAR_END
    due_after_days: int = (date(2025, *QD28_REPORT_DEADLINE) - date(2025, *QD28_YEAR_END)).days

    @property
    def half_year_cut_off(self) -> tuple[int, int]:
        month, day = self.cut_off
        return (month - 6 if month > 6 else month + 6), day


# The QĐ 28 report (art. 7.1–7.2): 15/12 – 14/12, due 20/12. Every province's default.
QD28_CALENDAR = ReportCalendar()
# Seed 004: "báo cáo năm tính từ ngày 10/12 năm trước đến ngày 10/12 năm báo cáo (gửi báo cáo
# chậm nhất ngày 12/12)"; each period starts the day after the previous one ends (domain §9).
LANG_SON_CALENDAR = ReportCalendar(cut_off=(12, 10), due_after_days=2)


def _period(kind: str, end: date, calendar: ReportCalendar) -> Period:
    start = programme_period(end, end.month, end.day)[0]
    return Period(kind, start, end, end + timedelta(days=calendar.due_after_days))


def annual_period(year: int, calendar: ReportCalendar = QD28_CALENDAR) -> Period:
    """The annual report of `year`: the day after the previous year's cut-off to this year's."""
    return _period("annual", date(year, *calendar.cut_off), calendar)


def six_month_period(year: int, calendar: ReportCalendar = QD28_CALENDAR) -> Period:
    """The six-month report of `year`: the day after the previous annual cut-off to the
    half-year cut-off (Lạng Sơn: 11/12 – 10/6, due 12/6)."""
    annual = annual_period(year, calendar)
    month, day = calendar.half_year_cut_off
    end = date(year if month <= calendar.cut_off[0] else year - 1, month, day)
    return Period("six_month", annual.start, end, end + timedelta(days=calendar.due_after_days))


def report_year(day: date, calendar: ReportCalendar = QD28_CALENDAR) -> int:
    """The year of the annual report whose period contains `day`."""
    return programme_period(day, *calendar.cut_off)[1].year


def year_to_date(today: date, calendar: ReportCalendar = QD28_CALENDAR) -> Period:
    """The current annual report period, up to today (for dashboards)."""
    return Period(
        "year_to_date", annual_period(report_year(today, calendar), calendar).start, today
    )


def report_deadline(year: int, calendar: ReportCalendar = QD28_CALENDAR) -> date:
    """The day the province's annual report of `year` is due: 20/12/year by default (art. 7.2).
    A recognition case of programme year `year` may be submitted until that day, included."""
    return annual_period(year, calendar).due


def case_as_of(year: int, submitted_on: date) -> date:
    """The day a recognition case of programme year `year` is judged on: the submission day,
    or the period's last day (14/12/year) when it is submitted after it."""
    return min(submitted_on, programme_year_period(year)[1])
