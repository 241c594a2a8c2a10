"""The current context's language and translations catalogue, found in a few attribute reads, and the templates'
gettext functions over them (issue 14: Flask-Babel's lookups were a tenth of the event page's CPU).

Flask-Babel keeps the selected locale on its per-context state, but ``gettext`` and ``get_locale`` find that state,
the domain and the catalogue again through Flask's context-locals for every message. Here the language and the
catalogue are kept beside the locale object they were found for, and used while it is the current one.
"""

from __future__ import annotations

from babel.support import NullTranslations
from flask import g, has_app_context
from flask_babel import get_locale, get_translations
from jinja2 import Environment


def page_translations() -> NullTranslations:
    """Flask-Babel's ``get_translations()``, found fast (``_page_locale``)."""
    return _page_locale()[1]


def page_language() -> str:
    """The language of the current context (``str(get_locale())``; "en" outside one), found fast."""
    return _page_locale()[0]


def _page_locale() -> tuple[str, NullTranslations]:
    """The current locale's language and catalogue, kept beside Flask-Babel's locale and used while that locale
    (the same object) is current: Flask-Babel looks the locale and domain up through the context again for every
    message (7 µs; the event page has ~40 messages and ~20 dates and times). ``force_locale`` and ``refresh``
    replace the locale object, so they are followed."""
    state = g.get("_flask_babel") if has_app_context() else None
    locale = getattr(state, "babel_locale", None)
    kept = getattr(state, "eventhub_locale", None)
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    found = (str(get_locale() or "en"), get_translations())
    state = g.get("_flask_babel") if has_app_context() else None
    if state is not None and getattr(state, "babel_locale", None) is not None:
        state.eventhub_locale = (state.babel_locale, found)
    return found


def install_template_gettext(environment: Environment) -> None:
    """Templates' ``_``, ``gettext``, ``ngettext``... as Jinja's newstyle gettext over ``page_translations``;
    ``_`` is gettext itself rather than Jinja's alias, which looks ``gettext`` up in the context on each call."""
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda string: page_translations().ugettext(string),
        ngettext=lambda singular, plural, n: page_translations().ungettext(singular, plural, n),
        pgettext=lambda context, string: page_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: page_translations().unpgettext(context, singular, plural, n),
        newstyle=True,
    )
    environment.globals["_"] = environment.globals["gettext"]
