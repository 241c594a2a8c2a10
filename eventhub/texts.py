"""Lazy translated texts for what the services say (refusals, reasons): read in the reader's language when shown,
and escaped like any other text when a template shows them.

Flask-Babel's ``lazy_gettext`` returns a string that Jinja takes for safe markup (its ``__html__`` returns the text
as it is), which suits a form's label but not a message with a reader's input in it (``overlaps item 2 (<b>…)``).
Extraction finds these under the usual keyword: modules import ``lazy_text as _l``.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel.speaklater import LazyString
from markupsafe import escape


class LazyText(LazyString):
    """A ``LazyString`` that HTML-escapes itself."""

    def __html__(self) -> str:
        return str(escape(str(self)))


def lazy_text(string: str, **variables: Any) -> LazyText:
    """``string`` translated when it is read, ``variables`` filled in (``%(name)s``)."""
    return LazyText(gettext, string, **variables)
