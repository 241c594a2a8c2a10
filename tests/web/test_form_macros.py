"""The shared form macros escape what they show, translated help texts included."""

from flask import render_template_string
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import StringField


def test_help_text_is_escaped_even_when_it_is_a_lazy_translation(app):
    """Flask-Babel's lazy strings claim to be HTML (they have ``__html__``); the macro must not trust them."""

    class Form(FlaskForm):
        name = StringField("Name", description=lazy_gettext("Write to <address>@example.org"))

    with app.test_request_context():
        html = render_template_string('{% from "_macros/forms.html" import field %}{{ field(form.name) }}', form=Form())
    assert "&lt;address&gt;" in html
    assert "<address>" not in html
