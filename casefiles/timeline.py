"""A person's timeline: everything on their file, newest first."""

import datetime
from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class TimelineEvent:
    day: datetime.date
    kind: str  # category | presence | test | rehab | support | move | file
    icon: str  # a Bootstrap icon name
    title: str
    detail: str = ""
    tone: str = "secondary"  # a Bootstrap colour for the marker


def _category_events(periods):
    for period in periods:
        yield TimelineEvent(
            period.started_on,
            "category",
            "tag",
            _("Category: %(category)s") % {"category": period.get_category_display()},
            tone="primary",
        )


def _presence_events(periods):
    for period in periods:
        yield TimelineEvent(
            period.started_on, "presence", "geo-alt", capfirst(period.get_status_display())
        )


def _test_events(tests):
    for test in tests:
        positive = test.result == "positive"
        detail = ", ".join(part for part in (test.substance, test.tested_by) if part)
        yield TimelineEvent(
            test.tested_on,
            "test",
            "droplet",
            capfirst(
                _("%(kind)s test: %(result)s")
                % {"kind": test.get_kind_display(), "result": test.get_result_display()}
            ),
            detail,
            tone="danger" if positive else "success",
        )


def _rehab_events(episodes):
    for episode in episodes:
        yield TimelineEvent(
            episode.started_on,
            "rehab",
            "heart-pulse",
            _("Rehab began: %(form)s") % {"form": episode.get_form_display()},
            episode.note,
            tone="info",
        )
        if episode.ended_on:
            yield TimelineEvent(
                episode.ended_on,
                "rehab",
                "heart-pulse",
                _("Rehab ended: %(outcome)s") % {"outcome": episode.get_outcome_display()},
                episode.get_form_display(),
                tone="info",
            )


def _support_events(actions):
    for action in actions:
        detail = " — ".join(part for part in (action.provided_by, action.note) if part)
        yield TimelineEvent(
            action.given_on,
            "support",
            "hand-thumbs-up",
            _("Support: %(kind)s") % {"kind": action.get_kind_display()},
            detail,
            tone="success",
        )


def _move_events(moves):
    for move in moves:
        yield TimelineEvent(
            move.moved_on,
            "move",
            "arrow-left-right",
            _("Moved from %(old)s to %(new)s")
            % {"old": move.from_commune.name, "new": move.to_commune.name},
            move.reason,
            tone="warning",
        )


def _file_events(person):
    yield TimelineEvent(person.listed_on, "file", "list-check", _("Listed"))
    if person.file_opened_on:
        yield TimelineEvent(person.file_opened_on, "file", "folder2-open", _("File opened"))
    if person.closed_on:
        yield TimelineEvent(
            person.closed_on,
            "file",
            "folder-x",
            _("File closed: %(reason)s") % {"reason": person.get_close_reason_display()},
            person.close_note,
            tone="dark",
        )


def build_timeline(person, *, categories, presences, tests, rehab_episodes, support, moves):
    events = [
        *_file_events(person),
        *_category_events(categories),
        *_presence_events(presences),
        *_test_events(tests),
        *_rehab_events(rehab_episodes),
        *_support_events(support),
        *_move_events(moves),
    ]
    # Stable sort: for one day, the order above (file, category, presence, ...) is kept.
    return sorted(events, key=lambda event: event.day, reverse=True)
