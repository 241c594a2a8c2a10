"""The agenda tests share the minutes tests' fixtures: the same Taskforce series with its secretary, members and
meetings, the frozen clock in the views and API, and bearer headers."""

from tests.minutes.conftest import bearer, commit, frozen_clock, taskforce  # noqa: F401 (fixtures)
