"""The site search: Finnish stemming, Swedish, ranking, highlighted excerpts that cannot
carry HTML from the content, what a visitor may find, and the GIN indexes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from development import search
from development.factories import PublishedAnswerFactory
from projects.factories import EventFactory, NewsItemFactory, ProjectFactory
from tests.plans import explain

pytestmark = pytest.mark.django_db


def found(client, q, **params):
    response = client.get(reverse("search"), {"q": q, **params})
    assert response.status_code == 200
    return response, response.content.decode()


def test_an_inflected_finnish_word_finds_the_base_form(client):
    answer = PublishedAnswerFactory(
        question="Miten lastensuojelu ja aikuissosiaalityö tekevät yhteistyötä?",
        answer="Yhteiset asiakassuunnitelmat auttavat lastensuojelua.",
    )
    news = NewsItemFactory(title="Lastensuojelu uudistuu", is_public=True)

    _response, html = found(client, "lastensuojelun")

    assert answer.get_absolute_url() in html
    assert news.get_absolute_url() in html
    # The excerpt marks the word in the form the text has it.
    assert "<mark>lastensuojelua</mark>" in html


def test_the_base_form_finds_inflected_text(client):
    event = EventFactory(
        title="Verkostopäivä",
        description="Keskustelemme lastensuojelun monialaisesta yhteistyöstä.",
        is_public=True,
    )
    _response, html = found(client, "lastensuojelu")
    assert event.get_absolute_url() in html


def test_a_swedish_text_is_found_with_swedish_stemming(client):
    answer = PublishedAnswerFactory(
        question="Kysymys lapsista?",
        answer="Vastaus.",
        question_sv="Hur stöder vi barnskyddet i regionen?",
        answer_sv="Genom samarbete mellan kommunerna.",
    )
    # "kommunernas" and "kommunerna" share the Swedish stem "kommun".
    _response, html = found(client, "kommunernas")
    assert answer.get_absolute_url() in html
    project = ProjectFactory(name="Kuntien yhteistyö", name_sv="Samarbete mellan kommunerna")
    _response, html = found(client, "kommunernas")
    assert project.get_absolute_url() in html


def test_results_are_ranked_title_matches_first(client):
    in_text = NewsItemFactory(
        title="Kuulumisia",
        body="Lopuksi mainittakoon myös edunvalvonta.",
        is_public=True,
        published_at=timezone.now(),
    )
    in_title = NewsItemFactory(
        title="Edunvalvonta Satakunnassa",
        body="Edunvalvonnan koordinointi jatkuu ja edunvalvojia koulutetaan.",
        is_public=True,
        published_at=timezone.now() - datetime.timedelta(days=30),
    )

    _response, html = found(client, "edunvalvonnan")

    assert html.index(in_title.get_absolute_url()) < html.index(in_text.get_absolute_url())
    ranks = list(search.ranked(None, "edunvalvonnan"))
    assert [pk for _kind, pk, _rank in ranks] == [in_title.pk, in_text.pk]


def test_the_excerpt_escapes_the_content_and_marks_only_the_words(client):
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    PublishedAnswerFactory(
        question=f"Kysymys {payload} kehittämisestä?",
        answer=f"Vastaus: {payload} kehittäminen jatkuu.",
    )
    NewsItemFactory(title="Kehittäminen", body=f"Teksti {payload} kehittämisestä.", is_public=True)

    _response, html = found(client, "kehittämisen")

    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>kehittäminen</mark>" in html or "<mark>kehittämisestä</mark>" in html


def test_highlight_keeps_only_whole_marks():
    s, e = search.START, search.STOP
    assert str(search.highlight(f"a {s}<b>{e} c")) == "a <mark>&lt;b&gt;</mark> c"
    # A stray mark in the content makes no tag.
    assert str(search.highlight(f"x {e} y {s}z")) == "x  y z"


def test_a_visitor_finds_only_public_content(client, planner):
    internal = NewsItemFactory(title="Sisäinen edunvalvontaohje", is_public=False)
    public = NewsItemFactory(title="Julkinen edunvalvontaohje", is_public=True)
    withdrawn = PublishedAnswerFactory(question="Edunvalvontaohje?", withdrawn_at=timezone.now())

    _response, html = found(client, "edunvalvontaohjeen")
    assert public.get_absolute_url() in html
    assert internal.get_absolute_url() not in html
    assert withdrawn.get_absolute_url() not in html

    client.force_login(planner)
    _response, html = found(client, "edunvalvontaohjeen")
    assert internal.get_absolute_url() in html  # as the news list shows it to staff


def test_hostile_queries_are_harmless(client):
    for q in ("!!", "a & | ! :*", "'); drop table x; --", '"', "-", "x" * 200, "or"):
        response, _html = found(client, q)
        assert response.status_code == 200


def test_the_search_uses_the_gin_indexes(planner):
    queryset = search.SOURCES["answer"].matches(None, "lastensuojelun")
    sql, params = queryset.query.sql_with_params()
    plan = explain(sql, params, off=["seqscan"])
    assert "devanswer_search_fi_idx" in plan and "devanswer_search_sv_idx" in plan
    for kind, index in (
        ("project", "project_search_fi_idx"),
        ("news", "newsitem_search_fi_idx"),
        ("event", "event_search_fi_idx"),
    ):
        sql, params = search.SOURCES[kind].matches(planner, "hanke").query.sql_with_params()
        plan = explain(sql, params, off=["seqscan"])
        assert index in plan, plan


def test_the_header_links_to_the_search(client):
    html = client.get(reverse("projects:list")).content.decode()
    assert f'href="{reverse("search")}"' in html


def test_an_edited_text_is_searched_as_it_now_reads(client):
    """The search documents are stored (generated columns; issue 18): an edit of a news
    item, an event, a project or an answer changes what finds it at once."""
    news = NewsItemFactory(title="Perhetyön päivä", is_public=True)
    event = EventFactory(title="Verkostopäivä", description="Ohjelma tulossa.")
    project = ProjectFactory(name="Perhekeskus", is_public=True)
    answer = PublishedAnswerFactory(question="Mikä on perhetyö?", answer="Tukea kotiin.")
    for obj, field in ((news, "title"), (event, "title"), (project, "name")):
        setattr(obj, field, "Sijaishuollon kehittäminen")
        obj.save()
    answer.answer = "Sijaishuollon tukea kotiin."
    answer.save()
    _response, html = found(client, "sijaishuollon")
    for obj in (news, event, project, answer):
        assert obj.get_absolute_url() in html
    _response, html = found(client, "perhetyö")
    assert news.get_absolute_url() not in html and answer.get_absolute_url() in html
