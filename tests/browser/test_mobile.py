"""Every main page as every role on a 360 px phone (issue 16, part 6): nothing scrolls
sideways, every table cell shown as a card is labelled with its column's header, and
the lists start on the first screen (their filters fold behind a button)."""

from django.urls import reverse

from tests.browser.conftest import BROWSER, MOBILE, t
from tests.browser.test_pages import ROLES, pages_for, portal  # noqa: F401 (a fixture)

pytestmark = BROWSER

HEIGHT = 800

# Each table of class "table": per body row, the cells' data-label beside the header of
# their column (colspan counted), and whether the label shows before the cell's text.
CARDS = """() => Array.from(document.querySelectorAll("table.table")).flatMap((table) => {
    const headers = Array.from(table.querySelectorAll("thead th")).map(
        (th) => th.textContent.trim());
    return Array.from(table.querySelectorAll("tbody tr")).flatMap((row) => {
        let column = 0;
        return Array.from(row.cells).map((cell) => {
            const found = {
                header: headers[column] ?? null,
                label: cell.dataset.label ?? null,
                spans: cell.colSpan,
                shown: getComputedStyle(cell, "::before").content,
                display: getComputedStyle(cell).display,
            };
            column += cell.colSpan;
            return found;
        });
    });
})"""

# The lists whose first row must be on the first screen of a phone.
LISTS = {"guardians", "projects", "events", "organisation", "directory", "question-queue"}


def test_main_pages_fit_a_360_pixel_phone_with_labelled_cards(
    portal,  # noqa: F811
    open_browser,
):
    wide, unlabelled, late = [], [], []
    covered = []
    for role in ROLES:
        person = open_browser(portal.users[role], width=MOBILE, height=HEIGHT)
        page = person.page
        for name, url in pages_for(role, portal):
            response = page.goto(url)
            assert response.status == 200, f"{name} ({url}) answered {response.status}"
            covered.append(f"{name}-{role}")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > MOBILE:
                wide.append(f"{name}-{role} ({url}): {scroll_width}px")
            for cell in page.evaluate(CARDS):
                if cell["spans"] > 1:
                    continue  # a row of its own ("Nothing has been logged.")
                if cell["label"] != cell["header"] or cell["display"] != "block":
                    unlabelled.append(f"{name}-{role}: {cell}")
                elif cell["header"] and cell["label"] not in cell["shown"]:
                    unlabelled.append(f"{name}-{role}: label not shown {cell}")
            if name in LISTS:
                top = page.evaluate(
                    "document.querySelector('table.table tbody tr')"
                    "?.getBoundingClientRect().top ?? null"
                )
                if top is not None and top > HEIGHT:
                    late.append(f"{name}-{role}: the list starts at {top:.0f}px")
        person.assert_no_errors()
    assert len(covered) > 40
    assert wide == [], "horizontal scrolling at 360 px:\n" + "\n".join(wide)
    assert unlabelled == [], "cards without their column's label:\n" + "\n".join(unlabelled)
    assert late == [], "lists below the first screen:\n" + "\n".join(late)


def test_filters_fold_on_a_phone_and_open_when_set(portal, open_browser):  # noqa: F811
    """A phone shows the guardian pool's filters behind a button, open once a filter is
    set; a laptop shows them without the button."""
    coordinator = portal.users["coordinator"]
    url = reverse("guardianship:guardian_list")
    phone = open_browser(coordinator, width=MOBILE, height=HEIGHT).page
    phone.goto(url)
    button = phone.get_by_text(t("Search and filters"))
    filter_button = phone.locator("details.filters form button[type=submit]")
    assert button.is_visible()
    assert not filter_button.is_visible()
    button.click()
    assert filter_button.is_visible()
    phone.goto(url + "?availability=active")
    assert filter_button.is_visible()

    laptop = open_browser(coordinator).page
    laptop.goto(url)
    assert not laptop.get_by_text(t("Search and filters")).is_visible()
    assert laptop.locator("details.filters form button[type=submit]").is_visible()
