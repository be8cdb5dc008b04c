import datetime
import re
from unittest.mock import patch

import pytest
from django import forms
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.forms import renderers
from django.template import Context, Template
from django.test import RequestFactory
from django.test.html import parse_html
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from common.forms import error_summary_items, field_groups, form_errors_to_messages


class DecisionForm(forms.Form):
    decision = forms.CharField(label="Päätös", required=False)
    reason = forms.CharField(label="Syy", required=False)

    def clean(self):
        self.add_error("decision", "Valitse päätös.")
        self.add_error("reason", forms.ValidationError(["Kerro syy.", "Ole lyhyt."]))
        raise forms.ValidationError("Lomake on vanhentunut.")


def messages_of(form):
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)
    form_errors_to_messages(request, form)
    return [(m.level, m.message) for m in request._messages]


def test_each_error_becomes_an_error_message_with_its_fields_label():
    assert messages_of(DecisionForm({})) == [
        (constants.ERROR, "Päätös: Valitse päätös."),
        (constants.ERROR, "Syy: Kerro syy."),
        (constants.ERROR, "Syy: Ole lyhyt."),
        (constants.ERROR, "Lomake on vanhentunut."),
    ]


def test_a_valid_form_adds_no_message():
    form = forms.Form({})
    assert form.is_valid()
    assert messages_of(form) == []


# The one field template and the one error summary ------------------------------------


class PersonForm(forms.Form):
    name = forms.CharField(label="Nimi", help_text="Koko nimi.", min_length=3)
    code = forms.CharField(label="Koodi", required=False)
    languages = forms.MultipleChoiceField(
        label="Kielet",
        choices=[("fi", "suomi"), ("sv", "ruotsi")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Kaikki, joilla hoidat asioita.",
    )
    public = forms.BooleanField(label="Julkinen", required=False, help_text="Näkyy kaikille.")
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_code(self):
        raise forms.ValidationError(["Liian lyhyt.", "Ei numeroita."])


def html(form, name):
    return parse_html(form[name].as_field_group())


def ids_described(element_html):
    return re.search(r'aria-describedby="([^"]+)"', element_html).group(1).split()


def test_a_field_has_its_label_required_marker_help_and_no_error_yet():
    field = PersonForm()["name"]
    rendered = field.as_field_group()
    assert '<label for="id_name">Nimi <span aria-hidden="true">*</span></label>' in rendered
    assert '<p class="field__help" id="id_name_helptext">Koko nimi.</p>' in rendered
    assert ids_described(str(field)) == ["id_name_helptext"]
    assert "aria-invalid" not in rendered and "_error" not in rendered
    assert "*" not in PersonForm()["code"].as_field_group()  # not required


def test_every_id_an_input_is_described_by_is_on_the_page():
    form = PersonForm({"name": "Al", "code": "x", "public": "on"})
    assert not form.is_valid()
    for name in ("name", "code", "languages", "public"):
        rendered = form[name].as_field_group()
        for described in ids_described(rendered):
            assert rendered.count(f'id="{described}"') == 1, (name, described)


def test_errors_are_one_element_with_the_error_id_even_when_there_are_two():
    form = PersonForm({"name": "Alma", "code": "x", "languages": ["fi"]})
    rendered = form["code"].as_field_group()
    assert rendered.count('id="id_code_error"') == 1
    assert rendered.count('class="field__error"') == 2
    assert 'aria-invalid="true"' in rendered
    assert 'class="field field--error"' in rendered


def test_a_checkbox_comes_before_its_label_and_its_help_has_the_id_it_is_described_by():
    rendered = PersonForm()["public"].as_field_group()
    assert 'class="field field--checkbox"' in rendered
    assert rendered.index('type="checkbox"') < rendered.index('<label for="id_public">')
    assert 'id="id_public_helptext"' in rendered
    assert ids_described(rendered) == ["id_public_helptext"]


def test_a_group_of_choices_is_a_fieldset_with_a_legend_described_by_its_help_and_errors():
    form = PersonForm({"name": "Alma"})
    assert html(form, "languages") == parse_html(
        '<fieldset class="field field--error"'
        ' aria-describedby="id_languages_helptext id_languages_error">'
        '<legend>Kielet <span aria-hidden="true">*</span></legend>'
        '<p class="field__help" id="id_languages_helptext">Kaikki, joilla hoidat asioita.</p>'
        f'<div id="id_languages_error"><p class="field__error">{form.errors["languages"][0]}</p>'
        "</div>"
        f"{form['languages']}"
        "</fieldset>"
    )


def test_a_hidden_field_is_only_its_input():
    assert PersonForm()["token"].as_field_group() == str(PersonForm()["token"])


class ChildForm(forms.Form):
    first_name = forms.CharField(label="Etunimi")

    def clean(self):
        raise forms.ValidationError("Tarkista lapsi.")


class ChildFormSet(forms.formset_factory(ChildForm, extra=0, min_num=2)):
    legend = "Lapsi"

    def clean(self):
        raise forms.ValidationError("Sama lapsi kahdesti.")


def children(**data):
    return ChildFormSet({"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", **data})


def test_the_summary_lists_every_error_with_a_link_to_its_field():
    form = PersonForm({"name": "Al", "code": "x"})
    items = error_summary_items(form, [children(**{"form-1-first_name": "Aino"})])
    assert items == [
        ("id_name", f"Nimi: {form.errors['name'][0]}"),
        ("id_code", "Koodi: Liian lyhyt."),
        ("id_code", "Koodi: Ei numeroita."),
        ("id_languages_0", f"Kielet: {form.errors['languages'][0]}"),  # the first choice
        ("", "Lapsi: Sama lapsi kahdesti."),
        ("", "Lapsi 1: Tarkista lapsi."),
        ("id_form-0-first_name", f"Lapsi 1 – Etunimi: {form.errors['languages'][0]}"),
        ("", "Lapsi 2: Tarkista lapsi."),
    ]


def test_the_summary_is_an_alert_for_the_script_to_focus_with_links_to_the_fields():
    form = PersonForm({"name": "Alma", "languages": ["fi"]})
    formset = children(**{"form-0-first_name": "Aino", "form-1-first_name": "Eino"})
    rendered = Template("{% load portal %}{% error_summary form formset %}").render(
        Context({"form": form, "formset": formset})
    )
    assert parse_html(rendered) == parse_html(
        '<div class="error-summary" role="alert" tabindex="-1" id="error-summary">'
        f"<h2>{gettext('Please correct the following')}</h2>"
        "<ul>"
        '<li><a href="#id_code">Koodi: Liian lyhyt.</a></li>'
        '<li><a href="#id_code">Koodi: Ei numeroita.</a></li>'
        "<li>Lapsi: Sama lapsi kahdesti.</li>"
        "<li>Lapsi 1: Tarkista lapsi.</li>"
        "<li>Lapsi 2: Tarkista lapsi.</li>"
        "</ul>"
        "</div>"
    )


def test_no_errors_no_summary():
    rendered = Template("{% load portal %}{% error_summary form formset %}").render(
        Context({"form": PersonForm(), "formset": ChildFormSet()})
    )
    assert rendered.strip() == ""


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"), required=False, choices=[("", "Kaikki"), ("open", "Avoimet")]
    )
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=5)


def groups(data=None, choices=None):
    form = FilterForm(data)
    if choices is not None:
        form.fields["state"].choices = choices
    return str(field_groups(form))


def test_a_filter_forms_fields_are_rendered_once_per_variant(monkeypatch):
    """The same form, values, choices and language give the same HTML from memory
    (issue 18); each of them changed gives that form's own HTML."""
    monkeypatch.setattr("common.forms._FIELD_GROUPS", {})
    plain = "".join(str(f.as_field_group()) for f in FilterForm({"state": "open"}))
    assert groups({"state": "open"}) == plain
    with patch("django.forms.BoundField.as_field_group", side_effect=AssertionError):
        assert groups({"state": "open"}) == plain  # from memory, not rendered
    assert 'value="open" selected' not in groups({"state": ""})
    assert 'value="open" selected' in groups({"state": "open"})
    assert "Suljetut" in groups({}, choices=[("", "Kaikki"), ("closed", "Suljetut")])
    with translation.override("sv"):
        assert groups({"state": "open"}) != plain  # the labels in Swedish


def test_typed_text_and_errors_are_never_kept(monkeypatch):
    """A name searched for is not kept in memory, and an error is shown as it is now;
    the choice beside the name is (issue 18: each field is kept on its own)."""
    kept = {}
    monkeypatch.setattr("common.forms._FIELD_GROUPS", kept)
    assert 'value="Aino"' in groups({"q": "Aino"})
    assert len(kept) == 1 and "Aino" not in "".join(kept.values())
    assert "field__error" in groups({"q": "Aino Saloranta"})  # too long
    assert "field__error" in groups({"state": "nope"})  # not a choice
    assert len(kept) == 1 and "field__error" not in "".join(kept.values())
    groups({})
    assert len(kept) == 2  # the search field, empty


def test_a_forms_kept_fields_are_each_rendered_once(monkeypatch):
    """A new record's form (includes/form.html): its fields without a value come from
    memory the second time, one with a value is rendered anew, the HTML the same."""
    monkeypatch.setattr("common.forms._FIELD_GROUPS", {})
    first = groups({"state": "open", "q": "Aino"})
    with patch("django.forms.BoundField.as_field_group", autospec=True) as render:
        render.side_effect = lambda bound: f"<{bound.name}>"
        again = groups({"state": "open", "q": "Aino"})
    assert [call.args[0].name for call in render.call_args_list] == ["q"]
    assert again == first.replace(first[first.index('<div class="field">', 1) :], "<q>")


def test_a_field_changed_by_the_form_instance_is_its_own_variant(monkeypatch):
    """A form may set a field's label, requirement or attributes per instance (by the
    user's role, say): each such form gets its own HTML, never another's."""
    monkeypatch.setattr("common.forms._FIELD_GROUPS", {})
    plain = groups({})
    form = FilterForm({})
    form.fields["state"].widget.attrs["disabled"] = True
    assert "disabled" in str(field_groups(form))
    form = FilterForm({})
    form.fields["state"].label = "Vaihe"
    assert "Vaihe" in str(field_groups(form))
    assert groups({}) == plain


def test_an_instances_text_or_date_is_never_kept_but_a_tick_is_no_ones(monkeypatch):
    """A form opened on a saved record (a child's name and birth date) is rendered
    anew each time: nobody's details stay in the process's memory (issue 18)."""
    kept = {}
    monkeypatch.setattr("common.forms._FIELD_GROUPS", kept)

    class ChildLike(forms.Form):
        name = forms.CharField(label="Nimi")
        born = forms.DateField(label="Syntynyt")
        interpreter = forms.BooleanField(label="Tulkki", required=False)
        token = forms.CharField(widget=forms.HiddenInput, required=False)

    assert 'value="Aino"' in str(field_groups(ChildLike(initial={"name": "Aino"})))
    assert "2015" in str(field_groups(ChildLike(initial={"born": datetime.date(2015, 3, 5)})))
    assert "Aino" not in "".join(kept.values()) and "2015" not in "".join(kept.values())
    ticked = str(field_groups(ChildLike(initial={"interpreter": True})))
    assert "checked" in ticked and any("checked" in html for html in kept.values())
    # Of the visible fields only: the hidden one is the template's to place.
    visible = str(field_groups(ChildLike(initial={"token": "x"}), visible_only=True))
    assert 'name="name"' in visible and 'name="token"' not in visible
    assert 'name="token"' in str(field_groups(ChildLike()))


# The project's own widget templates (common.forms.WIDGET_TEMPLATES) ----------------


class EveryWidgetForm(forms.Form):
    text = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    number = forms.IntegerField()
    email = forms.EmailField(required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    tick = forms.BooleanField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=[("", "---"), ("a", "A & <b>"), ("b", 'B "quoted"')])
    grouped = forms.ChoiceField(
        choices=[("Nordic", [("fi", "Finnish"), ("sv", "Swedish")]), ("en", "English")]
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    one = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)
    some = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple
    )


EVERY_WIDGET_DATA = {
    "text": '"><script>alert(1)</script>',
    "number": "42",
    "email": "a@example.invalid",
    "day": "2026-12-01",
    "secret": "s3cr&t",
    "note": "Rivi 1\n<Rivi 2>",
    "tick": "on",
    "hidden": "h",
    "kind": "a",
    "grouped": "sv",
    "many": ["x", "z"],
    "one": "y",
    "some": ["y"],
}


def test_the_projects_widget_templates_write_what_djangos_own_do():
    stock = renderers.Jinja2()  # Django's own Jinja2 widget templates, includes and all
    for data in (None, EVERY_WIDGET_DATA):
        ours, djangos = EveryWidgetForm(data), EveryWidgetForm(data, renderer=stock)
        for name in ours.fields:
            rendered = str(ours[name].as_widget())
            assert parse_html(rendered) == parse_html(str(djangos[name].as_widget())), name
    # The typed text is escaped, not markup.
    assert "<script>" not in str(EveryWidgetForm(EVERY_WIDGET_DATA)["text"])


# Inline formsets of a record not saved yet (common.forms.InlineFormSet) --------------


@pytest.mark.django_db
def test_a_new_records_rows_are_not_read_but_a_saved_ones_are(django_assert_num_queries):
    from django.db.models.sql.compiler import SQLCompiler

    from projects.factories import ProjectFactory
    from projects.forms import ProjectLinkFormSet
    from projects.models import Project, ProjectLink

    with patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("compiled")):
        formset = ProjectLinkFormSet(instance=Project(), prefix="links")
        assert len(formset.forms) == 1 and formset.initial_form_count() == 0
        assert formset.empty_form is not None
    link = ProjectLink.objects.create(
        project=ProjectFactory(), title="Raportti", url="https://example.invalid/r"
    )
    with django_assert_num_queries(1):
        formset = ProjectLinkFormSet(instance=link.project, prefix="links")
        assert [f.instance for f in formset.initial_forms] == [link]
