"""Exact comparisons of counts with the thresholds of the legal texts."""

from fractions import Fraction

from .profiles import Threshold


def percent(count: int, population: int) -> Fraction | None:
    """count as a percentage of population, exactly; None when there is no population: the
    ratio criteria are then unknown, and the commune says so (`CommuneFacts.data_gaps`)."""
    if population <= 0:
        return None
    return Fraction(count * 100, population)


def exact(threshold: Threshold) -> Fraction:
    # A float written in a profile as 0.05 means the decimal 0.05, not its binary neighbour.
    if isinstance(threshold, float):
        return Fraction(repr(threshold))
    return Fraction(threshold)
