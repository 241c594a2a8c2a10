"""The privacy notice shown at /privacy: a deployment's own (``EVENTHUB_PRIVACY_NOTICE_FILE``, Markdown), or
eventhub's default, which lists what is stored and for how long from the configured periods.

The deployment's file goes through the minutes' Markdown pipeline (raw HTML off, then an allow-list), so a notice
can hold links and lists but no script. It is read on each request: an operator edits it without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from markupsafe import Markup

from eventhub.mail.services import sender_identity
from eventhub.minutes.rendering import render_markdown


@dataclass(frozen=True)
class NoticeFacts:
    """What the default notice says about this deployment."""

    retention_days: int
    mail_retention_days: int
    contact: str


def custom_notice() -> Markup | None:
    """The deployment's notice as sanitised HTML, or None without one. A path that cannot be read is logged and
    the default notice shown: a typo in the setting must not take the page (and its form) away."""
    setting = str(current_app.config.get("PRIVACY_NOTICE_FILE") or "").strip()
    if not setting:
        return None
    path = Path(setting)
    if not path.is_absolute():
        path = Path(current_app.instance_path) / path
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        current_app.logger.warning("EVENTHUB_PRIVACY_NOTICE_FILE %s cannot be read (%s); default shown", path, exc)
        return None
    return render_markdown(text)


def notice_facts() -> NoticeFacts:
    config = current_app.config
    return NoticeFacts(
        retention_days=int(config["RETENTION_DAYS"]),
        mail_retention_days=int(config["MAIL_RETENTION_DAYS"]),
        contact=sender_identity().contact,
    )
