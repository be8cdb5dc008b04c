"""The bulletin's forms (issue 19, part 5): the public subscription form and the staff's
compose form."""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from development import bulletin
from development.forms import HONEYPOT
from development.models import BULLETIN_LANGUAGES, Bulletin

# The compose form offers this many of the newest news items.
NEWS_CHOICES = 30


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send the confirmation link and the bulletins to this address only."),
    )
    language = forms.ChoiceField(
        label=_("Language of the bulletin"),
        choices=BULLETIN_LANGUAGES,
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_(
            "I want to receive Pikassos' bulletin by e-mail. I can unsubscribe at any time "
            "with the link in every bulletin."
        ),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.initial.setdefault("language", "sv" if get_language() == "sv" else "fi")

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get(HONEYPOT))

    def visible_fields(self):
        return [f for f in super().visible_fields() if f.name != HONEYPOT]


def _dated(title, moment):
    return f"{title} ({formats.date_format(timezone.localtime(moment), 'SHORT_DATE_FORMAT')})"


class BulletinForm(forms.ModelForm):
    class Meta:
        model = Bulletin
        fields = ["title", "title_sv", "intro", "intro_sv", "news_items", "events"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 6}),
            "intro_sv": forms.Textarea(attrs={"rows": 6}),
            "news_items": forms.CheckboxSelectMultiple,
            "events": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "news_items": _("Public news only, the newest first."),
            "events": _("Public events that are not over yet."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        newest = list(bulletin.choosable_news().values_list("pk", flat=True)[:NEWS_CHOICES])
        # Items chosen earlier stay on offer while they are still public.
        chosen = (
            list(self.instance.news_items.values_list("pk", flat=True)) if self.instance.pk else []
        )
        self.fields["news_items"].queryset = bulletin.choosable_news().filter(
            pk__in=newest + chosen
        )
        self.fields["events"].queryset = bulletin.choosable_events()
        self.fields["news_items"].label_from_instance = lambda item: _dated(
            item.title, item.published_at
        )
        self.fields["events"].label_from_instance = lambda event: _dated(
            event.title, event.starts_at
        )

    def clean(self):
        data = super().clean()
        if not data.get("news_items") and not data.get("events"):
            # The form's own error: either list may be empty, with no box to link to.
            raise forms.ValidationError(_("Choose at least one news item or event."))
        return data
