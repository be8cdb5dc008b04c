import pytest
from django import forms
from django.test.html import parse_html

from common.widgets import Select
from municipalities.models import Organisation

CHOICES = [("", "All"), ("a", "Fish & <chips>"), ("b", 'Say "hei"'), (3, "Three")]


def both(field_kwargs, data, name="x"):
    """The same field rendered by Django's Select and by ours."""

    def render(widget):
        form_class = type(
            "F", (forms.Form,), {name: forms.ChoiceField(widget=widget, **field_kwargs)}
        )
        return parse_html(str(form_class(data)[name]))

    return render(forms.Select), render(Select)


@pytest.mark.parametrize("selected", [None, "", "a", "3", "<script>"])
def test_select_renders_the_same_html_as_djangos(selected):
    data = None if selected is None else {"x": selected}
    django_html, ours = both({"choices": CHOICES, "required": False}, data)
    assert ours == django_html


def test_attributes_such_as_required_and_aria_are_kept():
    django_html, ours = both({"choices": CHOICES}, {"x": "zzz"})  # required, invalid
    assert ours == django_html
    assert 'aria-invalid="true"' in str(ours) and "required" in str(ours)


def test_grouped_choices_are_left_to_django():
    grouped = [("", "All"), ("Group", [("a", "A"), ("b", "B")])]
    django_html, ours = both({"choices": grouped, "required": False}, {"x": "b"})
    assert ours == django_html
    assert "<optgroup" in str(ours)


@pytest.mark.django_db
def test_a_model_choice_field_renders_its_choices():
    class F(forms.Form):
        municipality = forms.ModelChoiceField(
            queryset=Organisation.objects.municipalities(), to_field_name="slug", widget=Select
        )

    html = str(F({"municipality": "pori"})["municipality"])
    assert '<option value="pori" selected>Pori</option>' in html
    assert html.count("<option") == Organisation.objects.municipalities().count() + 1
