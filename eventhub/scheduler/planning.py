"""What the planner job does each tick: every "queue the emails that are due now" step (and retention: the
outbox's old bodies, answers deleted after the event, events anonymised, unused material files removed), listed
explicitly.

Each step is a ``run_…(now) -> int`` function of its own area that flushes, never commits, and is safe to run
twice (dedup keys in the outbox); the job commits once after all of them. Adding a kind of scheduled email
means adding its step here, nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

PlanningStep = Callable[[datetime], int]


def planning_steps() -> list[tuple[str, PlanningStep]]:
    """The steps in the order they run. Imported here so the scheduler does not import every area at start-up."""
    from eventhub.agenda.emails import run_agenda_notifications
    from eventhub.mail.retention import redact_old_messages
    from eventhub.materials.sweep import run_materials_sweep
    from eventhub.minutes.emails import run_action_item_reminders
    from eventhub.privacy.retention import run_retention
    from eventhub.registration.answer_deletion import run_answer_deletion
    from eventhub.registration.followups import run_invitation_followups
    from eventhub.registration.request_digest import run_request_digests
    from eventhub.reminders.planner import run_planner

    return [
        ("event reminders", run_planner),
        ("invitation follow-ups", run_invitation_followups),
        ("invitation request digests", run_request_digests),
        ("agenda changes", run_agenda_notifications),
        ("action item reminders", run_action_item_reminders),
        ("old email bodies redacted", redact_old_messages),
        ("registrations' answers deleted after the event", run_answer_deletion),
        ("events anonymised", run_retention),
        ("unused material files removed", run_materials_sweep),
    ]


def run_planning(now: datetime, steps: list[tuple[str, PlanningStep]] | None = None) -> dict[str, int]:
    """Run every step at ``now``; returns how many emails each queued (or rows each changed)."""
    return {name: step(now) for name, step in (steps if steps is not None else planning_steps())}
