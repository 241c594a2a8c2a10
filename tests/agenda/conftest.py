"""The agenda tests share the minutes tests' fixtures: the same Taskforce series with its secretary, members and
meetings, the frozen clock in the views and API, and bearer headers; and the calendar tests' statement counter."""

from tests.calendar.conftest import count_queries  # noqa: F401 (fixture)
from tests.minutes.conftest import bearer, commit, frozen_clock, taskforce  # noqa: F401 (fixtures)
