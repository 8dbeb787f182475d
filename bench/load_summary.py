"""Summarise a locust run (bench/load.sh): requests, errors and p95 per page against the goals.

Goals (issues #8 and #9): each page p95 ≤ 200 ms; no failed request.
"""

import argparse
import csv
import json
import sys
from pathlib import Path

P95_GOAL_MS = 200


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("stats_csv")
    parser.add_argument("--users", type=int)
    parser.add_argument("--duration")
    args = parser.parse_args()
    with Path(args.stats_csv).open() as stats:
        rows = list(csv.DictReader(stats))
    pages = []
    print(f"{'page':32} {'requests':>9} {'errors':>7} {'median ms':>10} {'p95 ms':>8}  goal")
    for row in rows:
        name = row["Name"]
        p95 = float(row["95%"] or 0)
        entry = {
            "page": name,
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "median_ms": float(row["Median Response Time"] or 0),
            "p95_ms": p95,
        }
        is_page = name != "Aggregated" and "sign in" not in name and "code" not in name
        entry["p95_met"] = p95 <= P95_GOAL_MS if is_page else None
        pages.append(entry)
        verdict = "" if entry["p95_met"] is None else ("met" if entry["p95_met"] else "NOT MET")
        print(
            f"{name:32} {entry['requests']:>9} {entry['errors']:>7} "
            f"{entry['median_ms']:>10.0f} {p95:>8.0f}  {verdict}"
        )
    total_errors = sum(page["errors"] for page in pages if page["page"] != "Aggregated")
    print(f"errors in all: {total_errors}")
    result = {
        "users": args.users,
        "duration": args.duration,
        "pages": pages,
        "errors": total_errors,
    }
    Path(args.stats_csv).with_name("load_results.json").write_text(json.dumps(result, indent=1))
    return 1 if total_errors else 0


if __name__ == "__main__":
    sys.exit(main())
