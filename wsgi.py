"""Entry point for gunicorn: ``gunicorn wsgi:app``. The scheduler never starts here (see docs)."""

from eventhub import create_app

app = create_app()
