"""Issue 15, item 9: where a level is shown, a commune without a population says "not enough
data" (contracts.md §4: "its ratio criteria are unknown, never silently skipped"): the
scorecard, the province table, the reports and the recognition case page."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import services
from assessments.rules import period as periods
from communes.models import Commune
from reports import builders, rendering
from tests.factories import make_person

AS_OF = datetime.date(2026, 6, 30)


@pytest.fixture
def no_population(commune, other_commune):
    """Công Sơn has two filed addicts and no population recorded; Lợi Bác is complete."""
    commune.population = 0
    commune.save(update_fields=["population"])
    make_person(commune, full_name="Nông Văn Một", category="addict")
    make_person(commune, full_name="Nông Văn Hai", category="addict")
    make_person(other_commune, full_name="Hoàng Văn Ba", category="addict")
    return commune


def store(province):
    communes = Commune.objects.filter(province=province).select_related("province")
    services.assessments_store(services.assess_communes(communes, as_of=AS_OF))


def test_scorecard_says_not_enough_data(client, commune_officer, no_population):
    """contracts.md §1: "With population 0 the two ratios are not evaluated"; the scorecard
    says so instead of showing "less complex" as a verdict."""
    client.force_login(commune_officer)

    response = client.get(
        reverse("assessments:scorecard", args=[no_population.pk]), {"as_of": "30/06/2026"}
    )

    page = response.content.decode()
    assert response.context["result"].classification.level.value == "less_complex"
    assert response.context["data_gaps"] == ("population",)
    assert "Không đủ dữ liệu" in page
    assert "thiếu: nhân khẩu; tạm xếp: Ít phức tạp" in page
    assert 'data-testid="data-gaps-alert"' in page


def test_scorecard_with_a_population_says_nothing_of_gaps(client, commune_officer, commune):
    client.force_login(commune_officer)

    response = client.get(reverse("assessments:scorecard", args=[commune.pk]))

    assert response.context["data_gaps"] == ()
    assert "Không đủ dữ liệu" not in response.content.decode()


def test_province_table_counts_it_apart_and_filters_it(
    client, provincial_officer, province, no_population
):
    """contracts.md §4, as above: the stored assessment shows "not enough data", counted
    apart from the classes."""
    store(province)
    client.force_login(provincial_officer)
    url = reverse("assessments:province")

    response = client.get(url)

    rows = {row["commune"].name: row for row in response.context["rows"]}
    assert rows["Công Sơn"]["shown"]["undetermined"] is True
    assert rows["Lợi Bác"]["shown"]["undetermined"] is False
    by_level = dict(response.context["by_level"])
    assert by_level["Không đủ dữ liệu"] == 1
    assert by_level["Ít phức tạp"] == 0
    assert by_level["Trọng điểm loại III"] == 1
    assert "Không đủ dữ liệu" in response.content.decode()
    only = client.get(url, {"level": "data_gaps"})
    assert [row["commune"].name for row in only.context["rows"]] == ["Công Sơn"]


def test_reports_count_it_apart_from_the_classes(province, no_population):
    """contracts.md §4, as above: the report's "Communes by class" counts the commune as not
    enough data, in the PDF and the Excel file alike."""
    report = builders.province_report(province, periods.annual_period(2026))

    assert report.not_enough_data == 1
    assert report.levels["less_complex"] == 0
    assert sum(report.levels.values()) + report.not_enough_data == report.communes
    rows = dict(rendering.report_sections(report)["Phân loại xã, phường"])
    assert rows["Không đủ dữ liệu"] == 1
    pdf = "\n".join(
        page.extract_text()
        for page in PdfReader(
            io.BytesIO(rendering.render_province_report_pdf(report, issued_by="Công an tỉnh"))
        ).pages
    )
    assert "Không đủ dữ liệu đối với 1 xã" in pdf
    book = openpyxl.load_workbook(io.BytesIO(rendering.render_province_report_xlsx(report)))
    figures = {
        (row[0], row[1]): row[2] for row in book["Số liệu"].iter_rows(min_row=2, values_only=True)
    }
    assert figures[("Phân loại xã, phường", "Không đủ dữ liệu")] == 1


def test_a_dashboard_stored_before_the_count_still_reads(province):
    """Dashboards stored by earlier runs have no `not_enough_data`: they read as 0."""
    report = builders.province_report(province, periods.annual_period(2026), results=[])
    stored = builders.report_as_json(report)
    del stored["not_enough_data"]

    assert builders.report_from_json(province, stored).not_enough_data == 0


def test_commune_profile_pdf_says_not_enough_data(client, commune_officer, no_population):
    client.force_login(commune_officer)

    response = client.get(reverse("reports:commune_profile", args=[no_population.pk]))

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Không đủ dữ liệu (thiếu: nhân khẩu" in text


def test_admin_case_page_says_not_enough_data(client, provincial_officer, no_population):
    """The recognition case page shows the frozen and the live scorecard's level: each says
    "not enough data" without a population, a scorecard frozen before `data_gaps` existed too
    (its facts tell)."""
    from tests import factories

    case = factories.registration_with_case(
        commune=no_population,
        year=2026,
        registered_on=datetime.date(2025, 12, 10),
        profile="qd28-2025",
        by=provincial_officer,
    )
    (result,) = services.assess_communes([no_population], as_of=AS_OF)
    frozen = {**result.as_json(), "as_of": AS_OF.isoformat()}
    del frozen["data_gaps"]
    case.submitted_scorecard = frozen
    case.save(update_fields=["submitted_scorecard"])
    client.force_login(provincial_officer)

    response = client.get(reverse("admin:assessments_recognitioncase_change", args=[case.pk]))

    body = response.content.decode()
    assert body.count("<strong>Không đủ dữ liệu (thiếu: nhân khẩu; tạm xếp: Ít phức tạp)") == 2
