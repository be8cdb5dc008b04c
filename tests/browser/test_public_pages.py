"""The directory, the language switch, projects and news, in a real browser."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from municipalities.models import Organisation, OrganisationKind
from projects.factories import NewsItemFactory
from tests.browser.conftest import BROWSER, label

pytestmark = BROWSER


def test_the_organisation_directory_search_filter_and_successor(open_browser, planner):
    person = open_browser(planner)
    page = person.page
    page.goto(reverse("municipalities:directory"))

    page.fill("#id_q", "Pori")
    page.locator("form.filter-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"\?q=Pori"))
    rows = page.locator("main table tbody tr")
    expect(rows.first).to_be_visible()
    names = rows.locator("td:first-child a").all_inner_texts()
    assert "Pori" in names
    assert all("pori" in name.lower() for name in names), names

    page.fill("#id_q", "")
    page.select_option("#id_kind", OrganisationKind.MUNICIPALITY.value)
    page.locator("form.filter-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"kind=municipality"))
    kinds = set(page.locator("main table tbody tr td:nth-child(2)").all_inner_texts())
    assert kinds == {label(OrganisationKind.MUNICIPALITY)}
    # 17 municipalities with Honkajoki among the former ones; 16 current. Page size may cut.
    shown = page.locator("main table tbody tr").count()
    assert shown >= 10

    honkajoki = Organisation.objects.get(slug="honkajoki")
    kankaanpaa = Organisation.objects.get(slug="kankaanpaa")
    page.fill("#id_q", "Honkajoki")
    page.locator("form.filter-form button[type=submit]").click()
    page.get_by_role("link", name=honkajoki.display_name, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(honkajoki.get_absolute_url()) + "$"))
    expect(page.locator("h1")).to_have_text(honkajoki.display_name)
    expect(page.locator("dl.facts")).to_contain_text("31.12.2020")
    page.locator("dl.facts").get_by_role("link", name=kankaanpaa.display_name).click()
    expect(page).to_have_url(re.compile(re.escape(kankaanpaa.get_absolute_url()) + "$"))
    expect(page.locator("h1")).to_have_text(kankaanpaa.display_name)
    # The successor names its predecessor.
    expect(page.locator("main")).to_contain_text(honkajoki.display_name)
    person.assert_no_errors()


def test_the_directory_lists_the_former_joint_authorities_with_end_and_successor(
    open_browser, planner
):
    """Issue 14, part 5: the joint authorities ended with 2022; the county succeeds them."""
    person = open_browser(planner)
    page = person.page
    page.goto(reverse("municipalities:directory"))
    former = page.locator("table[aria-labelledby=former-organisations]")
    expect(page.locator("#former-organisations")).to_be_visible()
    kessote = Organisation.objects.get(slug="kessote")
    row = former.locator("tbody tr").filter(has_text=kessote.display_name)
    expect(row).to_contain_text("31.12.2022")
    county = Organisation.objects.get(slug="satakunnan-hyvinvointialue")
    row.get_by_role("link", name=county.display_name).click()
    expect(page).to_have_url(re.compile(re.escape(county.get_absolute_url()) + "$"))
    expect(page.locator("dl.facts").first).to_contain_text("Siikainen")  # its area
    # The county's predecessors include the former joint authority.
    page.get_by_role("link", name=kessote.display_name).click()
    expect(page.locator("p.notice")).to_contain_text("31.12.2022")
    person.assert_no_errors()


def test_the_language_switch_in_the_header(open_browser):
    person = open_browser()
    page = person.page
    page.goto(reverse("login"))
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    for code in ("sv", "en"):
        switch = page.locator("header form.language-switch")
        switch.locator("select[name=language]").select_option(code)
        switch.locator("button[type=submit]").click()
        expect(page.locator("html")).to_have_attribute("lang", code)
        # Back on the same page, with the new language selected.
        expect(page).to_have_url(re.compile(re.escape(reverse("login")) + "$"))
        expect(page.locator("#language-select")).to_have_value(code)
    person.assert_no_errors()


def test_a_project_page(open_browser):
    person = open_browser()
    page = person.page
    page.goto(reverse("projects:list"))
    # The reference data's public projects (projects/reference.py).
    links = page.locator("main table tbody tr td:first-child a")
    expect(links.first).to_be_visible()
    name = links.first.inner_text()
    links.first.click()
    expect(page.locator("h1")).to_be_visible()
    heading = page.locator("h1").inner_text()
    # The list shows "ACRONYM – Name"; the page's heading carries the name.
    assert name.split(" – ")[-1] in heading or heading in name
    person.assert_no_errors()


def test_the_news_page_and_its_atom_feed(open_browser):
    list_url = reverse("news:list")
    feed_url = reverse("news:feed")
    NewsItemFactory(title="Sijaishuollon verkosto kokoontuu")
    person = open_browser()
    page = person.page
    page.goto(list_url)
    expect(page.locator("main")).to_contain_text("Sijaishuollon verkosto kokoontuu")
    alternate = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    expect(alternate).to_have_attribute("href", feed_url)
    link = page.locator(f'main a[href="{feed_url}"]')
    expect(link).to_be_visible()

    feed = page.request.get(feed_url)
    assert feed.ok
    assert feed.headers["content-type"].startswith("application/atom+xml")
    body = feed.text()
    assert "<feed" in body and "Sijaishuollon verkosto kokoontuu" in body
    person.assert_no_errors()
