"""The release gate's reading of pip-audit's report (scripts/audit_verdict.py)."""

import importlib.util
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "audit_verdict", PROJECT / "scripts" / "audit_verdict.py"
)
audit_verdict = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit_verdict)

CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "pillow",
    "version": "9.0.0",
    "vulns": [{"id": "PYSEC-2022-10", "fix_versions": ["9.0.1"], "aliases": []}],
}
UNREACHABLE = {
    "name": "celery",
    "skip_reason": "Dependency not found on PyPI and could not be audited: celery (5.7.0)",
}


def test_a_known_vulnerability_fails_the_gate():
    status, lines = audit_verdict.verdict(
        {"dependencies": [CLEAN, VULNERABLE]}, require_audit=False
    )
    assert status == 1
    assert lines[0].startswith("pip-audit: 2 of 2 packages audited, 1 known vulnerabilities")
    assert "VULNERABLE pillow 9.0.0: PYSEC-2022-10 (9.0.1)" in lines[1]


def test_a_vulnerability_fails_even_when_other_packages_were_not_audited():
    status, _lines = audit_verdict.verdict(
        {"dependencies": [VULNERABLE, UNREACHABLE]}, require_audit=False
    )
    assert status == 1


def test_an_incomplete_audit_warns_and_fails_only_where_an_audit_is_required():
    report = {"dependencies": [CLEAN, UNREACHABLE]}
    status, lines = audit_verdict.verdict(report, require_audit=False)
    assert status == 0
    assert lines[0] == "pip-audit: 1 of 2 packages audited, 0 known vulnerabilities, 1 not audited."
    assert "WARNING: 1 packages could not be checked" in lines[1]
    status, lines = audit_verdict.verdict(report, require_audit=True)
    assert status == 3
    assert "RELEASE_GATE_REQUIRE_AUDIT=1" in lines[-1]


def test_a_complete_clean_audit_passes():
    status, lines = audit_verdict.verdict({"dependencies": [CLEAN]}, require_audit=True)
    assert (status, lines) == (
        0,
        ["pip-audit: 1 of 1 packages audited, 0 known vulnerabilities, 0 not audited."],
    )


def test_a_missing_report_means_pip_audit_failed(tmp_path, capsys):
    empty = tmp_path / "report.json"
    empty.write_text("")
    assert audit_verdict.main(str(empty)) == 2
    assert "pip-audit itself failed" in capsys.readouterr().out
