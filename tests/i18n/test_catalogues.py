"""The translation catalogues under eventhub/translations are complete and consistent, one check per language so
a failure names it: every configured language has a catalogue (English is the source), every message is translated
and none is fuzzy, each translation keeps the source's placeholders, plural forms are CLDR's (their number, and
the catalogue's plural expression choosing the same category as CLDR for every count), and each catalogue holds
exactly the messages of messages.pot, which itself holds exactly the messages of the source.

While translators work on a language, its checks fail; that is the point: a language is done when they pass.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from config import Config

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "eventhub" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
SOURCE_LANGUAGE = Config.BABEL_DEFAULT_LOCALE
TRANSLATED = [language for language in Config.LANGUAGES if language != SOURCE_LANGUAGE]
# Counts whose plural category is compared: 0..200 covers every rule's tens and hundreds, a million French's "many".
COUNTS = [*range(201), 1_000_000]
# ``%(name)s``/``%(num)d`` (gettext's named placeholders), ``{name}`` (str.format) and bare ``%s``/``%d``.
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|\{(\w*)\}|%[sdif]")
COUNT = "num"  # the name flask-babel's ngettext gives the count
# pybabel's options, as babel.cfg's comment gives them (keywords beyond the defaults; no directory skipped but
# hidden ones and __pycache__, since templates/_macros/ has strings).
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "_lp": ((1, "c"), 2),
    "lazy_pgettext": ((1, "c"), 2),
    "lazy_ngettext": (1, 2),
}


@cache
def catalogue(language: str) -> Catalog:
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        pytest.fail(f"{language}: no catalogue at {path.relative_to(ROOT)}")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


@cache
def template() -> Catalog:
    with TEMPLATE.open("rb") as handle:
        return read_po(handle)


def messages(catalog: Catalog) -> list[Message]:
    """The catalogue's messages without its header (obsolete ones are not read into it)."""
    return [message for message in catalog if message.id]


def key(message: Message) -> tuple[str | None, str | tuple[str, ...]]:
    return message.context, message.id


def forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


def placeholders(text: str) -> set[str]:
    return {match.group(0) if match.group(1) is None and match.group(2) is None else (match.group(1) or
            "{" + (match.group(2) or "") + "}") for match in PLACEHOLDER.finditer(text or "")}  # fmt: skip


def report(language: str, what: str, problems: list[str]) -> str:
    shown = "\n  ".join(problems[:15])
    more = f"\n  … and {len(problems) - 15} more" if len(problems) > 15 else ""
    return f"{language}: {len(problems)} {what}:\n  {shown}{more}"


def category_of_form(catalog: Catalog, language: str) -> dict[int, set[str]]:
    """For each plural form of ``catalog``, the CLDR categories of the counts its plural expression sends there."""
    choose = gettext.c2py(catalog.plural_expr)
    rule = Locale.parse(language).plural_form
    found: dict[int, set[str]] = {}
    for count in COUNTS:
        found.setdefault(choose(count), set()).add(rule(count))
    return found


def only_one(catalog: Catalog) -> set[int]:
    """The plural forms used for the count 1 alone: those may leave the count out ("one member", "ét medlem")."""
    choose = gettext.c2py(catalog.plural_expr)
    used = {}
    for count in COUNTS:
        used.setdefault(choose(count), set()).add(count)
    return {form for form, counts in used.items() if counts == {1}}


# ---------------------------------------------------------------------------------------------------------------
# Per language
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", Config.LANGUAGES)
def test_every_configured_language_has_a_catalogue(language):
    if language == SOURCE_LANGUAGE:  # the messages are written in it: nothing to translate
        assert not (TRANSLATIONS / language).exists() or catalogue(language).locale.language == language
        assert Config.BABEL_DEFAULT_LOCALE == language
        return
    assert catalogue(language).locale.language == language.split("_")[0]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    problems = []
    for message in messages(catalogue(language)):
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif any(not form for form in forms(message)):
            problems.append(f"untranslated: {message.id!r}")
    assert not problems, report(language, "messages untranslated or fuzzy", problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_of_the_source(language):
    catalog = catalogue(language)
    singular_only = only_one(catalog)
    problems = []
    for message in messages(catalog):
        if message.pluralizable:
            wanted = placeholders(message.id[0]) | placeholders(message.id[1])
            for index, form in enumerate(forms(message)):
                allowed = [wanted, wanted - {COUNT}] if index in singular_only else [wanted]
                if form and placeholders(form) not in allowed:
                    problems.append(
                        f"{message.id[0]!r} form {index}: {sorted(placeholders(form))}, not {sorted(wanted)}"
                    )
        elif message.string and placeholders(message.string) != placeholders(message.id):
            problems.append(
                f"{message.id!r}: {sorted(placeholders(message.string))}, not {sorted(placeholders(message.id))}"
            )
    assert not problems, report(language, "translations with other placeholders than the source", problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_forms_are_cldrs(language):
    catalog = catalogue(language)
    expected = get_plural(language).num_plurals
    assert catalog.num_plurals == expected, f"{language}: {catalog.num_plurals} plural forms, CLDR has {expected}"
    wrong = [
        f"{m.id[0]!r}: {len(forms(m))} forms" for m in messages(catalog) if m.pluralizable and len(forms(m)) != expected
    ]
    assert not wrong, report(language, f"plural messages without {expected} forms", wrong)
    categories = category_of_form(catalog, language)
    mixed = {form: sorted(found) for form, found in categories.items() if len(found) > 1}
    assert not mixed, f"{language}: Plural-Forms {catalog.plural_expr!r} mixes CLDR categories in a form: {mixed}"
    shared = [
        c for c in {next(iter(found)) for found in categories.values()} if sum(c in f for f in categories.values()) > 1
    ]
    assert not shared, f"{language}: CLDR categories {shared} are split over several forms by {catalog.plural_expr!r}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_has_the_messages_of_the_template(language):
    have, want = {key(m) for m in messages(catalogue(language))}, {key(m) for m in messages(template())}
    problems = [f"missing: {k[1]!r}" for k in sorted(want - have, key=repr)]
    problems += [f"not in messages.pot: {k[1]!r}" for k in sorted(have - want, key=repr)]
    assert not problems, report(language, "differences from messages.pot (run pybabel update, see babel.cfg)", problems)


# ---------------------------------------------------------------------------------------------------------------
# The template
# ---------------------------------------------------------------------------------------------------------------


def extracted_messages() -> set[tuple[str | None, str | tuple[str, ...]]]:
    """What ``pybabel extract -F babel.cfg`` with babel.cfg's options finds in the source, as catalogue keys."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog()
    found = extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=("Translators:",),
        directory_filter=_source_directories,
    )  # fmt: skip
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return {key(message) for message in messages(catalog)}


def _source_directories(dirpath: str | Path) -> bool:
    """Descend where babel.cfg's patterns can match (eventhub/, templates/), hidden folders and caches aside."""
    relative = Path(dirpath).resolve().relative_to(ROOT)
    parts: Iterable[str] = relative.parts
    if any(part.startswith(".") or part == "__pycache__" for part in parts):
        return False
    return not relative.parts or relative.parts[0] in ("eventhub", "templates")


def test_the_template_is_up_to_date_with_the_source():
    in_source, in_template = extracted_messages(), {key(m) for m in messages(template())}
    problems = [f"not in messages.pot: {k[1]!r}" for k in sorted(in_source - in_template, key=repr)]
    problems += [f"no longer in the source: {k[1]!r}" for k in sorted(in_template - in_source, key=repr)]
    assert not problems, report(
        "messages.pot", "differences from the source (run pybabel extract, see babel.cfg)", problems
    )


# ---------------------------------------------------------------------------------------------------------------
# The checks themselves
# ---------------------------------------------------------------------------------------------------------------


def test_placeholders_of_every_kind_are_found():
    assert placeholders("%(name)s has %(num)d seats, {event} at %s; 100%% sure") == {"name", "num", "{event}", "%s"}


def test_a_plural_expression_that_is_not_cldrs_is_caught():
    polish_as_english = Catalog(locale="pl")
    polish_as_english._num_plurals, polish_as_english._plural_expr = 3, "(n != 1)"
    assert category_of_form(polish_as_english, "pl")[1] == {"few", "many"}  # 2 and 5 in one form: mixed
    right = Catalog(locale="pl")
    right._num_plurals, right._plural_expr = get_plural("pl").num_plurals, get_plural("pl").plural_expr
    assert all(len(found) == 1 for found in category_of_form(right, "pl").values())


def test_only_a_form_for_one_alone_may_leave_the_count_out():
    danish, croatian = Catalog(locale="da"), Catalog(locale="hr")
    danish._plural_expr = get_plural("da").plural_expr
    croatian._plural_expr = get_plural("hr").plural_expr
    assert only_one(danish) == {0}
    assert only_one(croatian) == set()  # Croatian's "one" is 1, 21, 31…: "%(num)d" must stay
