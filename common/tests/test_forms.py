from django import forms
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from common.forms import form_errors_to_messages


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
