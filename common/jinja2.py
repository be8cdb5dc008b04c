"""The Jinja2 environment for the rows of the longest lists (issue 18).

Fifty rows through Django's template engine cost about 1.5 ms of the queue's 10 ms of
CPU: every variable, filter and tag is a node resolved per row. The page stays a Django
template; only its per-row loop is a `.jinja` template, compiled to Python by Jinja2,
and included as HTML already escaped (`render_rows`). The rows' text is computed in
Python beforehand (guardianship/listing.py, common/display.py), so the environment needs
no globals but Django's translations.

Django's makemessages reads no `.jinja` file: a row template translates only texts that
its Django page or Python code holds too (the column headers); a text of its own, such
as a badge, is translated in the view and passed in.
"""

from pathlib import Path

import django.forms
from django.forms.utils import flatatt
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, TemplateNotFound

# The only templates Jinja2 renders; Django's engine, first in TEMPLATES, never loads them.
EXTENSION = ".jinja"


class _JinjaFilesOnly(BaseLoader):
    """The backend's loader over templates/, for `.jinja` files only: a Django template
    missing from Django's engine is not parsed as Jinja2 but is not found here either."""

    def __init__(self, loader):
        self.loader = loader

    def get_source(self, environment, template):
        if not template.endswith(EXTENSION):
            raise TemplateNotFound(template)
        return self.loader.get_source(environment, template)


def environment(**options):
    options["loader"] = _JinjaFilesOnly(options["loader"])
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    # Values are escaped by MarkupSafe, which writes ' and " as &#39; and &#34; where
    # Django writes &#x27; and &quot;: the same HTML. Django's own escaping (a `finalize`
    # of conditional_escape) cost half again the rows' time. A SafeString (__html__) is
    # not escaped again, and a lazy text is a str when printed.
    env = Environment(**options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    return env


# Django's own form, widget and error templates, written for Jinja2.
DJANGO_FORM_TEMPLATES = Path(django.forms.__file__).parent / "jinja2"


def form_environment(**options):
    """The form renderer's (common.forms.FormRenderer): Django's form templates in
    Jinja2, then the project's `.jinja` field template (includes/field.jinja)."""
    env = environment(**options)
    env.loader = ChoiceLoader([FileSystemLoader(DJANGO_FORM_TEMPLATES), env.loader])
    # A widget's attributes (templates/includes/widgets/): Django's own writer of them.
    env.filters["flatatt"] = flatatt
    return env


def render_rows(template_name, context):
    """The rows' HTML from the Jinja2 template `template_name`, escaped there, for a
    Django template to include as it is."""
    return mark_safe(engines["jinja2"].get_template(template_name).render(context))
