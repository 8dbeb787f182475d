"""Words for the rules' codes come from the rules: a threshold is stated where it is used."""

import dataclasses

from django.utils import translation

from assessments import labels
from assessments.rules import PROVINCE_CRITERIA, QD28_PROVINCE


def test_province_criteria_state_the_thresholds_the_engine_uses():
    with translation.override("vi"):
        words = [labels.province_criterion_label(code) for code in PROVINCE_CRITERIA]
    assert words == [
        "người sử dụng ≥ 0,2% dân số",
        "≥ 5 điểm tổ chức, chứa chấp",
        "số bị bắt ≥ 0,05% dân số",
        "xã trọng điểm loại I + II ≥ 3%",
        "≥ 8.000 cây hoặc ≥ 2.000 m²",
        "nằm trên tuyến trọng điểm liên tỉnh",
    ]


def test_a_changed_threshold_changes_the_words(monkeypatch):
    monkeypatch.setattr(
        labels, "QD28_PROVINCE", dataclasses.replace(QD28_PROVINCE, harbouring_places=7)
    )
    with translation.override("vi"):
        assert labels.province_criterion_label("harbouring_places") == (
            "≥ 7 điểm tổ chức, chứa chấp"
        )
