"""Two editors changing one event, news item or project at once (issue 16, part 5): the
second is shown the first one's change instead of undoing it."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.factories import make_user
from accounts.roles import Role
from common.tests.edit_forms import CONFLICT, loaded
from projects.factories import EventFactory, NewsItemFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def editors():
    first, second = Client(), Client()
    first.force_login(make_user(Role.PLANNER, ["pikassos"], username="pia-planner"))
    second.force_login(make_user(Role.COORDINATOR, ["pikassos"], username="cecilia-c"))
    return first, second


@pytest.mark.parametrize(
    ("make", "url_name", "kwargs", "field"),
    [
        (EventFactory, "events:edit", lambda o: {"uuid": o.uuid}, "place"),
        (NewsItemFactory, "news:edit", lambda o: {"uuid": o.uuid}, "title"),
        (ProjectFactory, "projects:edit", lambda o: {"slug": o.slug}, "programme"),
    ],
    ids=["event", "news", "project"],
)
def test_the_second_editor_sees_the_first_ones_change(make, url_name, kwargs, field):
    record = make()
    url = reverse(url_name, kwargs=kwargs(record))
    first, second = editors()
    firsts, seconds = loaded(first, url), loaded(second, url)

    assert first.post(url, {**firsts, field: "Ensimmäisen muutos"}).status_code == 302
    response = second.post(url, {**seconds, field: "Toisen muutos"})

    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    saved = [saved for _label, saved, _sent in response.context["form"].changed_meanwhile]
    assert saved == ["Ensimmäisen muutos"]
    record.refresh_from_db()
    assert getattr(record, field) == "Ensimmäisen muutos"
