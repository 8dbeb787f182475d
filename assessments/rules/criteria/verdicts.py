"""What a criterion finds: pass, fail or unknown, with the evidence and the causes it names."""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Outcome(StrEnum):
    PASS = "pass"  # noqa: S105 - an outcome, not a password
    FAIL = "fail"
    UNKNOWN = "unknown"


class Cause(NamedTuple):
    kind: str  # "person" | "hotspot" | "offence" | "cultivation" | "wanted" | "hamlet"
    id: int
    label: str


@dataclass(frozen=True)
class Verdict:
    """What a criterion function finds; evaluate_criteria adds the code."""

    result: Outcome
    evidence: str
    causes: tuple[Cause, ...] = ()


def passed(evidence: str) -> Verdict:
    return Verdict(Outcome.PASS, evidence)


def failed(evidence: str, causes: Iterable[Cause] = ()) -> Verdict:
    return Verdict(Outcome.FAIL, evidence, tuple(causes))


def unknown(evidence: str) -> Verdict:
    return Verdict(Outcome.UNKNOWN, evidence)


def all_of(*parts: Verdict) -> Verdict:
    """A criterion with several parts fails when one part fails, else is unknown when one part
    is unknown; the evidence keeps every part so the page shows the whole picture."""
    outcomes = {part.result for part in parts}
    if Outcome.FAIL in outcomes:
        result = Outcome.FAIL
    elif Outcome.UNKNOWN in outcomes:
        result = Outcome.UNKNOWN
    else:
        result = Outcome.PASS
    causes = unique(cause for part in parts for cause in part.causes)
    return Verdict(result, _sentence(part.evidence for part in parts), causes)


def _sentence(clauses: Iterable[str]) -> str:
    """Clauses joined into one sentence: "Không có …; chưa có …"."""
    text = "; ".join(clause[:1].lower() + clause[1:] for clause in clauses)
    return text[:1].upper() + text[1:]


def unique(causes: Iterable[Cause]) -> tuple[Cause, ...]:
    return tuple(dict.fromkeys(causes))
