"""URL converters that refuse, before any view runs, path values the database cannot take.

Without them a URL such as ``/events/99999999999`` reaches PostgreSQL as an integer outside ``integer``
(int4) and ``/series/a%00b`` as a string with a NUL byte; both make the driver raise ``DataError`` and the
visitor gets a 500 instead of a 404. Checking once here covers every route, present and future, instead of
each view and service remembering to.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter

# Every id and number column is a 32-bit ``integer`` on PostgreSQL (SQLite would take more, but has no row
# with such an id either, so a 404 is right on both).
INT4_MAX = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` limited to 0 … 2³¹−1; a larger value is a 404.

    It raises NotFound itself instead of werkzeug's ValidationError (what ``max=`` does): with ValidationError
    werkzeug goes on to the next rule, and a PATCH to ``/api/v1/events/<big>`` would become a 405 because
    the GET rule of the same path had matched but for its method.
    """

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > INT4_MAX:
            raise NotFound()
        return number


class PrintableStringConverter(UnicodeConverter):
    """The default ``<name>`` converter without control characters (NUL, line breaks, DEL, C1): no slug,
    token or file name of ours holds one, and PostgreSQL refuses NUL in text outright."""

    def __init__(self, map: Map, minlength: int = 1, maxlength: int | None = None, length: int | None = None) -> None:
        super().__init__(map, minlength=minlength, maxlength=maxlength, length=length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f-\x9f]", 1)


def init_routing(app: Flask) -> None:
    """Install the converters; must run before any blueprint is registered (rules bind their converters then)."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.url_map.converters["default"] = PrintableStringConverter
    app.url_map.converters["string"] = PrintableStringConverter
