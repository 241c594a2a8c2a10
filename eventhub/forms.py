"""The base classes of every form, so WTForms' own messages ("This field is required.") come from eventhub's catalogue.

WTForms ships catalogues for some of eventhub's languages only (no Danish, Croatian or Latvian; Czech as
``cs_CZ``), so its messages would be English on those pages, and Flask-WTF's ``WTF_I18N_ENABLED`` loads exactly
those catalogues. Instead (config: ``WTF_I18N_ENABLED = False``) every form asks eventhub's own catalogue, in the
reader's language, through ``CatalogueTranslations``; ``WTFORMS_MESSAGES`` lists the messages WTForms 3 and
Flask-WTF write, marked for extraction, so translators see them beside eventhub's own.

Page forms subclass ``Form``; forms nested in them (rows of a ``FieldList`` of ``FormField``) subclass
``RowForm``: a nested form does not inherit its parent's translations.
"""

from __future__ import annotations

from typing import Any

import wtforms
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm


class CatalogueTranslations:
    """What WTForms calls for its messages, answered by eventhub's catalogue in the current language.

    Flask-Babel's ``ngettext`` would format the message with ``num`` only, and WTForms formats with its own
    values (``%(max)d``) afterwards, so the catalogue's plain lookups are used here.
    """

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


TRANSLATIONS = CatalogueTranslations()


class CatalogueMeta:
    """Form options shared by ``Form`` and ``RowForm`` (WTForms merges each class's ``Meta`` along the MRO)."""

    def get_translations(self, form: Any) -> CatalogueTranslations:
        return TRANSLATIONS


class Form(FlaskForm):
    """A page's form: CSRF-protected (Flask-WTF), its messages in the reader's language."""

    Meta = CatalogueMeta


class RowForm(wtforms.Form):
    """A form nested in a page's form (a row of a ``FieldList``), its messages in the reader's language."""

    Meta = CatalogueMeta


def ngettext(singular: str, plural: str, n: int) -> tuple[str, str]:
    """A marker, not a translation: extraction reads every ``ngettext(...)`` call as a plural message, which is
    all the list below needs (WTForms itself looks the pair up, through ``CatalogueTranslations``)."""
    return singular, plural


# The messages WTForms 3.3 (wtforms/validators.py, wtforms/fields/) and Flask-WTF 1.2 (flask_wtf/file.py) show to
# a reader, word for word: the catalogue answers a lookup only for the exact English text. (Flask-WTF's CSRF
# check raises its own English words without asking for a translation; pages never show them.)
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Invalid email address."),
    _l("Invalid input."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid week value."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Field must be equal to %(other_name)s."),
    _l("Invalid field name '%s'."),
    _l("Invalid URL."),
    _l("Invalid UUID."),
    _l("Invalid IP address."),
    _l("Invalid Mac address."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("Invalid value, can't be any of: %(values)s."),
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
    _l("File does not have an approved extension."),
)
WTFORMS_PLURAL_MESSAGES = (
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 2),
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 2),
    ngettext("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 2),
    ngettext(
        "'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.", 2
    ),
)
