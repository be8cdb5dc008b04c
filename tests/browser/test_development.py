"""The development question desk's journey in a real browser (issue 19): a visitor asks,
a planner takes the question, answers it by e-mail and publishes it reworded, and the
visitor finds the published answer through the site search with an inflected word."""

import re

from django.core.cache import cache
from django.urls import reverse
from mailer.models import Message
from playwright.sync_api import expect

from development.models import PublishedAnswer, Question, QuestionStatus
from tests.browser.conftest import BROWSER

pytestmark = BROWSER


def test_a_visitor_asks_staff_answers_and_publishes_and_the_search_finds_it(open_browser, planner):
    cache.clear()  # the question form's hourly limit
    visitor = open_browser()
    page = visitor.page
    page.goto(reverse("development:answer_list"))
    page.locator("main").get_by_role("link", name="Kysy", exact=True).click()
    expect(page.locator("h1")).to_have_text("Kysy Pikassokselta kehittämisestä")
    # The honeypot is not shown.
    expect(page.locator("#id_website")).to_be_hidden()
    page.fill("#id_organisation_name", "Ulvilan perhepalvelut")
    page.fill("#id_contact_name", "Outi Kysyjä")
    page.fill("#id_contact_email", "outi@example.invalid")
    page.fill("#id_text", "Outi Ulvilasta kysyy: miten lastensuojelu ja koulu tekevät yhteistyötä?")
    page.get_by_role("button", name="Lähetä kysymys").click()
    expect(page.locator("main")).to_contain_text("Kysymyksesi lähetettiin")
    question = Question.objects.get()
    assert question.status == QuestionStatus.NEW

    staff = open_browser(planner).page
    staff.goto(reverse("development:queue"))
    staff.locator("main article a").first.click()
    expect(staff).to_have_url(re.compile(re.escape(question.get_absolute_url()) + "$"))
    staff.get_by_role("button", name="Aloita käsittely").click()
    expect(staff.locator("main")).to_contain_text("Kysymys on nyt käsittelyssä")
    staff.fill("#id_answer", "Yhteiset työparit ja säännölliset tapaamiset auttavat.")
    staff.get_by_role("button", name="Lähetä vastaus").click()
    expect(staff.locator("main")).to_contain_text("Vastaus lähetettiin kysyjälle")
    # The answer waits in the outbox for the worker, addressed to the asker only.
    assert [m.to_addresses for m in Message.objects.all()] == [["outi@example.invalid"]]

    staff.fill("#id_question", "Miten lastensuojelu ja koulu tekevät yhteistyötä?")
    staff.fill(
        "#id_answer", "Lastensuojelu ja koulu sopivat yhteisistä työpareista ja tapaamisista."
    )
    staff.get_by_role("button", name="Julkaise", exact=True).click()
    expect(staff.locator("main")).to_contain_text("Kysymys ja vastaus julkaistiin")
    published = PublishedAnswer.objects.get()

    page.goto(reverse("home"))
    page.locator("header").get_by_role("link", name="Hae", exact=True).click()
    page.fill("#id_q", "lastensuojelun")
    page.locator("main form button[type=submit]").click()
    result = page.locator("main ol.search-results li").filter(has_text="Kysymys ja vastaus")
    expect(result.locator("mark").first).to_have_text(re.compile("Lastensuojelu", re.I))
    result.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(re.escape(published.get_absolute_url()) + "$"))
    main = page.locator("main")
    expect(main).to_contain_text("Lastensuojelu ja koulu sopivat")
    # Nothing of the asker on the public page.
    for personal in ("Outi", "outi@example.invalid", "Ulvila"):
        expect(main).not_to_contain_text(personal)
    visitor.assert_no_errors()
