"""Django's admin in Finnish (issue 16, part 10): every app, model, column and filter has a
Finnish (and Swedish) name, the libraries' too (no "Access attempts" from django-axes), and
the roles are shown by their labels, never by their codes.

The lists are built from the admin itself: every registered model, its app, each column of
its list and each filter, read under translation.override("fi") and compared with English.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, label_for_field
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst

from accounts.roles import Role

pytestmark = pytest.mark.django_db

# What reads the same in Finnish, Swedish and English (or is empty: pghistory's hidden
# filter), and what is the same word in Swedish.
SAME = {"ID", "Id", "id", ""}
SAME_IN_SWEDISH = {"status", "Status", "organisation", "text", "version"}


def registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def in_language(language, read):
    with translation.override(language):
        return str(read())


def untranslated(read, languages=("fi", "sv")):
    """The languages in which `read()` is the same as in English."""
    english = in_language("en", read)
    if english in SAME:
        return []
    return [
        lang
        for lang in languages
        if in_language(lang, read) == english and not (lang == "sv" and english in SAME_IN_SWEDISH)
    ]


def columns_and_filters(model, model_admin, request):
    """(what, reader) of each column header and filter title of the model's list."""
    for name in model_admin.get_list_display(request):
        if name == "action_checkbox":
            continue
        yield (
            f"column {name}",
            lambda name=name: label_for_field(name, model, model_admin),
        )
    for item in model_admin.get_list_filter(request):
        if isinstance(item, (list, tuple)):
            item = item[0]
        if isinstance(item, str):
            field = get_fields_from_path(model, item)[-1]
            yield f"filter {item}", lambda field=field: field.verbose_name
        else:
            yield f"filter {item.__name__}", lambda item=item: item.title


def test_every_app_and_model_of_the_admin_has_a_finnish_and_a_swedish_name():
    left = []
    for model, _model_admin in registered():
        opts = model._meta
        for what, read in (
            ("app", lambda opts=opts: opts.app_config.verbose_name),
            ("name", lambda opts=opts: opts.verbose_name),
            ("plural", lambda opts=opts: opts.verbose_name_plural),
        ):
            missing = untranslated(read)
            if missing:
                left.append((opts.label, what, in_language("en", read), missing))
    assert left == []


def test_every_column_and_filter_of_the_admin_lists_has_a_finnish_and_a_swedish_name(
    superuser,
):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    left = []
    for model, model_admin in registered():
        for what, read in columns_and_filters(model, model_admin, request):
            missing = untranslated(read)
            if missing:
                left.append((model._meta.label, what, in_language("en", read), missing))
    assert left == []


def test_the_admin_index_shows_the_finnish_names_only(admin_client):
    html = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for model, _model_admin in registered():
        opts = model._meta
        finnish = capfirst(in_language("fi", lambda opts=opts: opts.verbose_name_plural))
        english = capfirst(in_language("en", lambda opts=opts: opts.verbose_name_plural))
        assert f">{escape(finnish)}</a>" in html, opts.label
        assert f">{escape(english)}</a>" not in html, opts.label
        app = in_language("fi", lambda opts=opts: opts.app_config.verbose_name)
        assert escape(app) in html, opts.label
    for english in ("Access attempts", "Access logs", "Axes", "Mailer", "Otp_Totp", "Events"):
        assert f">{english}<" not in html


@pytest.mark.parametrize(
    "model", [model for model, _a in registered()], ids=lambda model: model._meta.label
)
def test_every_changelist_opens_in_finnish(admin_client, model):
    opts = model._meta
    html = admin_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    ).content.decode()
    assert '<html lang="fi"' in html
    english = in_language("en", lambda: opts.verbose_name_plural)
    names = (
        capfirst(in_language("fi", lambda: opts.verbose_name_plural)),
        in_language("fi", lambda: opts.verbose_name),
    )
    assert any(escape(name) in html for name in names)
    assert f">{escape(capfirst(english))}<" not in html


def test_the_roles_are_shown_by_their_labels_never_their_codes(admin_client, sw_pori):
    groups = admin_client.get(reverse("admin:auth_group_changelist")).content.decode()
    users = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    change = admin_client.get(
        reverse("admin:auth_group_change", args=[Group.objects.get(name=Role.COORDINATOR).pk])
    ).content.decode()
    user_page = admin_client.get(
        reverse("admin:accounts_user_change", args=[sw_pori.pk])
    ).content.decode()
    with translation.override("fi"):
        labels = {role.value: str(role.label) for role in Role}
    assert "<h1>Valitse muokattava rooli</h1>" in groups
    for code, label in labels.items():
        assert escape(label) in groups and escape(label) in users
        for page in (groups, users, change, user_page):
            assert f">{code}<" not in page and f"{code}</option>" not in page
    assert escape(labels[Role.COORDINATOR]) in change
    # A role's group keeps its code: renaming it would cut it off from the portal's rules.
    assert 'name="name"' not in change
    assert escape(labels[Role.SOCIAL_WORKER]) in user_page
