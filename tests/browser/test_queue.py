"""The request queue in a real browser (issue 16, part 2): the coordinator finds a request
by the reference an e-mail quotes, sorts the queue by a column with the keyboard, and each
role's home page says what needs them, linking to the list of just those."""

import datetime

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from fees.factories import FeeClaimFactory
from guardianship.enums import AssignmentStatus, State
from guardianship.factories import (
    AssignmentFactory,
    ChildFactory,
    GuardianFactory,
    GuardianshipRequestFactory,
)
from tests.browser.conftest import BROWSER, t

pytestmark = BROWSER

LIST = reverse("guardianship:request_list")


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


def references(page):
    """The references of the queue's rows, top to bottom."""
    return page.locator("main table tbody tr td:first-child a").all_inner_texts()


def test_the_coordinator_finds_an_ended_request_by_its_reference(open_browser, coordinator):
    wanted = GuardianshipRequestFactory(state=State.ENDED, children=0)
    ChildFactory(request=wanted, first_name="Aino")
    GuardianshipRequestFactory.create_batch(2)
    person = open_browser(coordinator)
    page = person.page
    page.goto(LIST)
    expect(page.locator("main table tbody tr")).to_have_count(2)  # the open ones
    # As an e-mail quotes it, typed in lower case.
    page.get_by_role("textbox", name=t("Search"), exact=True).fill(wanted.reference.lower())
    page.get_by_role("button", name=t("Filter")).click()
    assert references(page) == [wanted.reference]
    expect(page.locator("main table tbody")).to_contain_text("Aino")
    person.assert_no_errors()


def test_the_queue_sorts_by_hearing_date_with_the_keyboard(open_browser, coordinator):
    today = timezone.localdate()
    later = GuardianshipRequestFactory(hearing_date=today + datetime.timedelta(days=40))
    undated = GuardianshipRequestFactory(submitted_at=days_ago(30))
    sooner = GuardianshipRequestFactory(hearing_date=today + datetime.timedelta(days=4))
    person = open_browser(coordinator)
    page = person.page
    page.goto(LIST)
    # The queue's own order: the longest waiting first; the urgency column says so.
    assert references(page) == [undated.reference, later.reference, sooner.reference]
    urgency = page.get_by_role("columnheader", name=t("Urgency"))
    expect(urgency).to_have_attribute("aria-sort", "descending")
    expect(page.locator("main td[data-label]").first).to_be_visible()

    header = page.get_by_role("link", name=t("Hearing date"), exact=True)
    header.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('?')[0]}?sort=hearing")
    # Soonest first, undated last; the header says the column is sorted ascending.
    assert references(page) == [sooner.reference, later.reference, undated.reference]
    expect(page.get_by_role("columnheader", name=t("Hearing date"))).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(page.locator("th[aria-sort]")).to_have_count(1)

    # Days waiting: the longest waiting first, and again the other way round.
    page.get_by_role("link", name=t("Days waiting"), exact=True).click()
    assert references(page)[0] == undated.reference
    page.get_by_role("link", name=t("Days waiting"), exact=True).click()
    assert references(page)[-1] == undated.reference
    expect(page.get_by_role("columnheader", name=t("Days waiting"))).to_have_attribute(
        "aria-sort", "ascending"
    )

    # A filter keeps the order.
    page.get_by_role("combobox", name=t("State")).select_option("all")
    page.get_by_role("button", name=t("Filter")).click()
    assert "sort=-waiting" in page.url
    # An order not on the list is ignored, not an error.
    response = page.goto(f"{LIST}?sort=drop")
    assert response.status == 200
    assert references(page) == [undated.reference, later.reference, sooner.reference]
    person.assert_no_errors()


def needs_section(page):
    return page.get_by_role("region", name=t("Needs your action"))


def test_the_coordinator_sees_what_needs_them_and_opens_the_list(
    open_browser, coordinator, settings
):
    settings.GUARDIANSHIP_UNMATCHED_DAYS = 14
    settings.GUARDIANSHIP_UNANSWERED_DAYS = 7
    late = GuardianshipRequestFactory(state=State.SEARCHING, submitted_at=days_ago(20))
    GuardianshipRequestFactory(state=State.SEARCHING, submitted_at=days_ago(2))
    unanswered = GuardianshipRequestFactory(state=State.PROPOSED, submitted_at=days_ago(9))
    AssignmentFactory(request=unanswered, proposed_at=days_ago(8))
    consented = GuardianshipRequestFactory(state=State.CONSENT_GIVEN)
    person = open_browser(coordinator)
    page = person.page
    page.goto("/")
    section = needs_section(page)
    expect(section).to_be_visible()
    # First on the page, before the counts by state.
    assert page.locator("main h2").first.inner_text() == t("Needs your action")

    section.get_by_role("link", name="Ilman edunvalvojaa yli 14 päivää").click()
    assert references(page) == [late.reference]
    page.go_back()
    needs_section(page).get_by_role("link", name="Ehdotukseen ei vastattu yli 7 päivään").click()
    assert references(page) == [unanswered.reference]
    page.go_back()
    needs_section(page).get_by_role("link", name=t("Consent given, application not filed")).click()
    assert references(page) == [consented.reference]
    person.assert_no_errors()


def test_the_social_worker_sees_the_applications_to_file(open_browser, sw_pori):
    consented = GuardianshipRequestFactory(state=State.CONSENT_GIVEN)
    GuardianshipRequestFactory(state=State.CONSENT_GIVEN, team="rauma")  # not theirs
    person = open_browser(sw_pori)
    page = person.page
    page.goto("/")
    section = needs_section(page)
    expect(section).to_contain_text(f"{t('Consent given: file the application')}: 1")
    section.get_by_role("link", name=t("Consent given: file the application")).click()
    assert references(page) == [consented.reference]
    person.assert_no_errors()


def test_the_guardian_sees_proposals_and_returned_claims(open_browser, guardian_user):
    guardian = GuardianFactory(user=guardian_user)
    proposal = AssignmentFactory(guardian=guardian, status=AssignmentStatus.PROPOSED)
    claim = FeeClaimFactory(assignment__guardian=guardian, returned=True)
    person = open_browser(guardian_user)
    page = person.page
    page.goto("/")
    section = needs_section(page)
    expect(section).to_contain_text(f"{t('Proposals waiting for your answer')}: 1")
    section.get_by_role("link", name=t("Proposals waiting for your answer")).click()
    expect(page.locator(f"#proposal-{proposal.uuid}")).to_be_visible()
    page.go_back()
    needs_section(page).get_by_role("link", name=t("Fee claims returned for correction")).click()
    expect(page).to_have_url(f"{page.url.split('?')[0]}?status=returned")
    expect(page.locator(f'main a[href="{claim.get_absolute_url()}"]')).to_be_visible()
    person.assert_no_errors()
