"""``flask users`` and ``flask tokens``."""

import click
from flask.cli import AppGroup

users_cli = AppGroup("users", help="Manage user accounts.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")
