"""Read pip-audit's JSON report and decide the release gate's audit step.

pip-audit says "No known vulnerabilities found" and exits 0 even when it could not look a
single package up (no network, or a mirror without PyPI's per-version JSON), so its exit code
alone would let an unaudited release through unnoticed. This script tells the cases apart:

- a known vulnerability in any pinned package: fail (exit 1);
- the report is missing or unreadable (pip-audit itself failed): fail (exit 2);
- packages that could not be audited: a loud warning, and a failure (exit 3) when
  RELEASE_GATE_REQUIRE_AUDIT=1, as on the machine that builds a release;
- otherwise: pass.
"""

import json
import os
import sys


def verdict(report: dict, *, require_audit: bool) -> tuple[int, list[str]]:
    """The exit status and the lines to print for one pip-audit JSON report."""
    dependencies = report.get("dependencies", [])
    skipped = [dep for dep in dependencies if "skip_reason" in dep]
    audited = [dep for dep in dependencies if "skip_reason" not in dep]
    vulnerable = [dep for dep in audited if dep.get("vulns")]
    lines = [
        f"pip-audit: {len(audited)} of {len(dependencies)} packages audited, "
        f"{sum(len(dep['vulns']) for dep in vulnerable)} known vulnerabilities, "
        f"{len(skipped)} not audited."
    ]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            lines.append(f"  VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} ({fixes})")
    if vulnerable:
        return 1, lines
    if skipped:
        lines.append(
            f"  WARNING: {len(skipped)} packages could not be checked, e.g. "
            f"{skipped[0]['skip_reason']}. Is the vulnerability service (pypi.org or "
            "api.osv.dev) reachable from here?"
        )
        if require_audit:
            lines.append("  RELEASE_GATE_REQUIRE_AUDIT=1: an incomplete audit fails the gate.")
            return 3, lines
        lines.append("  Not failing: set RELEASE_GATE_REQUIRE_AUDIT=1 where a release is built.")
    return 0, lines


def main(path: str) -> int:
    try:
        with open(path, encoding="utf-8") as file:
            report = json.load(file)
    except (OSError, ValueError) as error:
        print(f"pip-audit: no readable report ({error}); pip-audit itself failed.")
        return 2
    status, lines = verdict(
        report, require_audit=os.environ.get("RELEASE_GATE_REQUIRE_AUDIT") == "1"
    )
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
