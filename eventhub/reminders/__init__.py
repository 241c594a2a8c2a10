"""Reminders before an event: offsets (event → series → default), the planner that queues them as outbox rows,
the reminder email and the one-click unsubscribe link."""
