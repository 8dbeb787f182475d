"""A province report as PDF (WeasyPrint) and as Excel (pandas + openpyxl), from one builder."""

import io

import pandas as pd
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML

from assessments.labels import level_label
from casefiles.models import Category, RehabForm
from core.excel import fit_columns, neutralise

from .builders import ProvinceReport
from .charts import bar_chart_svg


def level_with_profile_level(level: str, profile_level: str = "", profile: str = "") -> str:
    """The level of record in words and, where the commune's profile has levels of its own,
    that level beside it: "Không ma túy (theo Trà Vinh 2025: Trọng điểm loại I)"."""
    if not profile_level:
        return level_label(level)
    return _("%(level)s (under %(profile)s: %(profile_level)s)") % {
        "level": level_label(level),
        "profile": profile,
        "profile_level": level_label(profile_level),
    }


def registered_rows(report: ProvinceReport) -> list[dict]:
    """The communes registered this year, each with its level in words (a dashboard stored
    before levels were kept shows none)."""
    return [
        {
            **row,
            "level_text": level_with_profile_level(
                row["level"], row.get("profile_level", ""), row.get("profile", "")
            )
            if row.get("level")
            else "",
        }
        for row in report.registered
    ]


def report_sections(report: ProvinceReport) -> dict[str, list[tuple[str, object]]]:
    """Each table of the report as (label, value) rows; the PDF and Excel both print these.
    Communes are counted by their level of record (QĐ 28); a provincial profile's own levels
    follow in a table of their own, for comparison."""
    own_levels = {
        _("Communes by class under %(profile)s (its own levels, for comparison)")
        % {"profile": profile}: [(level_label(k), v) for k, v in counts.items()]
        for profile, counts in report.profile_levels.items()
    }
    return {
        _("Communes by class"): [
            *((level_label(k), v) for k, v in report.levels.items()),
            # Not in a class: their level rests on a missing population (contracts.md §4).
            (_("Not enough data"), report.not_enough_data),
        ],
        **own_levels,
        _("People under management (on the last day)"): [
            *((str(Category(k).label).capitalize(), report.people[k]) for k in Category.values),
            (_("Total"), report.people["total"]),
            (_("Without a file yet"), report.people["without_file"]),
        ],
        _("Drug tests in the period"): [
            (_("Tests"), report.tests["total"]),
            (_("Positive"), report.tests["positive"]),
            (_("Surprise tests"), report.tests["surprise"]),
        ],
        _("Rehab and treatment begun in the period"): [
            (str(RehabForm(k).label).capitalize(), v) for k, v in report.rehab.items()
        ],
        _("Hotspots"): [
            (_("Found in the period"), report.hotspots["found"]),
            (_("Eradicated in the period"), report.hotspots["eradicated"]),
            (_("Re-emerged in the period"), report.hotspots["re_emerged"]),
            (_("Active on the last day"), report.hotspots["active_at_end"]),
        ],
        _("Household pledges"): [
            (_("Households"), report.pledges["households"]),
            (_("Signed"), report.pledges["signed"]),
            (
                _("Coverage (%)"),
                report.pledges["percent"] if report.pledges["percent"] is not None else "—",
            ),
        ],
        _("Prevention models"): [(_("Active on the last day"), report.models_active)],
    }


def render_province_report_pdf(report: ProvinceReport, *, issued_by: str) -> bytes:
    sections = report_sections(report)
    target, recognised = _("target"), _("recognised")
    levels_svg = bar_chart_svg(sections[_("Communes by class")])
    roadmap_svg = bar_chart_svg(
        [(f"{row['year']} — {target}", row["target"] or 0) for row in report.roadmap]
        + [(f"{row['year']} — {recognised}", row["recognised"]) for row in report.roadmap]
    )
    # Our own SVG markup: bar_chart_svg escapes every label and number it writes.
    charts = {
        "levels": mark_safe(levels_svg),  # noqa: S308  # nosec B308 B703
        "roadmap": mark_safe(roadmap_svg),  # noqa: S308  # nosec B308 B703
    }
    html = render_to_string(
        "reports/pdf/province_report.html",
        {
            "report": report,
            "registered": registered_rows(report),
            "sections": sections,
            "charts": charts,
            "issued_by": issued_by,
            "issued_on": timezone.localdate(),
        },
    )
    return HTML(string=html).write_pdf()


def render_province_report_xlsx(report: ProvinceReport) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        summary = pd.DataFrame(
            [
                (_("Province"), report.province.name),
                (_("Period from"), report.period.start.strftime("%d/%m/%Y")),
                (_("Period to"), report.period.end.strftime("%d/%m/%Y")),
                (_("Communes"), report.communes),
            ],
            columns=[_("Item"), _("Value")],
        )
        summary.to_excel(writer, sheet_name=_("Summary")[:31], index=False)
        rows = [
            (section, label, value)
            for section, items in report_sections(report).items()
            for label, value in items
        ]
        pd.DataFrame(rows, columns=[_("Section"), _("Item"), _("Value")]).to_excel(
            writer, sheet_name=_("Figures")[:31], index=False
        )
        pd.DataFrame(report.roadmap, columns=["year", "target", "recognised"]).rename(
            columns={"year": _("Year"), "target": _("Target"), "recognised": _("Recognised")}
        ).to_excel(writer, sheet_name=_("Roadmap")[:31], index=False)
        pd.DataFrame(
            [
                (r["commune"], r["level_text"], _("yes") if r["eligible"] else _("no"), r["state"])
                for r in registered_rows(report)
            ],
            columns=[_("Commune"), _("Level"), _("Eligible"), _("State")],
        ).to_excel(writer, sheet_name=_("Registered")[:31], index=False)
        for sheet in writer.sheets.values():
            # Names typed by users could start with "=": keep every text cell inert.
            for row in sheet.iter_rows():
                for cell in row:
                    cell.value = neutralise(cell.value)
            fit_columns(sheet, max_width=60)
    return buffer.getvalue()


def render_commune_profile_pdf(
    *, result, criteria_rows, cases, level_label, issued_by, show_notes: bool, level_shown=None,
    profile_level_label: str = "",
) -> bytes:  # fmt: skip
    """One commune on one page or two: classification, criteria with evidence, recognition
    history. `criteria_rows` come from the scorecard page, so leaders' copies carry no names."""
    html = render_to_string(
        "reports/pdf/commune_profile.html",
        {
            "result": result,
            "criteria": criteria_rows,
            "cases": cases,
            "level_label": level_label,
            # The level, or "not enough data" when it rests on a missing fact.
            "level_shown": level_shown,
            "profile_level_label": profile_level_label,
            "issued_by": issued_by,
            "issued_on": timezone.localdate(),
            "facts": vars(result.inputs.facts),
            # Officers' notes on a case may name people: not in leaders' copies.
            "show_notes": show_notes,
        },
    )
    return HTML(string=html).write_pdf()
