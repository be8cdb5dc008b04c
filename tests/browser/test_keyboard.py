"""The request form with the keyboard only: skip link, tab order, visible focus, errors."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import BROWSER

pytestmark = BROWSER

# What a keyboard user can reach with Tab, in document order, among the visible elements.
TABBABLE_IN_MAIN = """() => {
    const selector = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]),'
        + ' select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
    return [...document.querySelectorAll('main ' + selector.split(',').join(', main '))]
        .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
        .map(el => el.id || el.name || el.textContent.trim());
}"""

FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return {
        key: el.id || el.name || el.textContent.trim(),
        tag: el.tagName.toLowerCase(),
        inMain: Boolean(el.closest('main')),
        visibleFocus: outline || style.boxShadow !== 'none',
    };
}"""


def test_skip_link_tab_order_and_visible_focus(open_browser, sw_pori):
    person = open_browser(sw_pori)
    page = person.page
    page.goto(reverse("guardianship:request_create"))
    assert (
        page.evaluate(
            'document.querySelectorAll(\'[tabindex]:not([tabindex="-1"])'
            ':not([tabindex="0"])\').length'
        )
        == 0
    ), "no positive tabindex"

    # The first Tab reaches the skip link, shown on focus; Enter moves the focus to main.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is on the screen"
    assert page.evaluate(FOCUSED)["visibleFocus"]
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # From main, Tab visits the form in document order, each element with a visible focus.
    expected = page.evaluate(TABBABLE_IN_MAIN)
    visited, invisible = [], []
    for _ in range(len(expected) * 3 + 5):  # a date input takes three presses (d, m, y)
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not focused["inMain"]:
            break
        if not focused["visibleFocus"]:
            invisible.append(focused["key"])
        if not visited or visited[-1] != focused["key"]:
            visited.append(focused["key"])
    assert visited == expected
    assert invisible == [], f"no visible focus on {invisible}"
    person.assert_no_errors()


def test_a_failed_submit_focuses_the_error_summary_whose_links_reach_the_fields(
    open_browser, sw_pori
):
    person = open_browser(sw_pori)
    page = person.page
    page.goto(reverse("guardianship:request_create"))
    # Empty every field a person types in, then submit with the keyboard.
    for field in page.locator(
        "form.request-form input[type=text], form.request-form input"
        "[type=email], form.request-form input[type=tel], "
        "form.request-form textarea"
    ).all():
        field.fill("")
    page.locator('button[type=submit][name="submit"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    links = summary.locator("a")
    assert links.count() >= 4
    # Tab from the summary reaches its first link; Enter moves the focus to that field.
    page.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    first_target = links.first.get_attribute("href")
    page.keyboard.press("Enter")
    expect(page.locator(first_target)).to_be_focused()
    # Every link leads to a field of the form that takes the focus, next to its message.
    for link in links.all():
        target = link.get_attribute("href")
        assert target.startswith("#id_"), target
        link.click()
        field = page.locator(target)
        expect(field).to_be_focused()
        message = page.locator(f"{target}_error, .field--error:has({target}) .field__error")
        expect(message.first).to_be_visible()
    person.assert_no_errors()
