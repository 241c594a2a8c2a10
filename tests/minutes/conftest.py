"""The minutes tests' fixtures live in tests/fixtures/meetings.py (shared with the agenda tests)."""

from tests.support import NOW  # noqa: F401 (tests import it from here)
