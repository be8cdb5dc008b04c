"""A fee claim in a real browser, in Finnish (issue 15): the guardian types hours and euros
as Finns do ("3,5", "210,00") and double-clicks "send"; the coordinator tries to return
the claim without a reason, keeps the choice, gives the reason; the guardian corrects an
expense and adds one with the "Add an expense" button (JavaScript); the coordinator
approves after seeing the amounts; the payer's official marks it paid with the payment
date and their reference, and the guardian sees it paid ("Maksettu"). The guardian is
e-mailed at the return and approval.
"""

import re
from decimal import Decimal

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from accounts.factories import make_user
from fees.enums import ClaimStatus
from fees.models import FeeClaim
from guardianship.factories import AssignmentFactory, ChildFactory, GuardianFactory
from tests.browser.conftest import BROWSER, LANGUAGE, describe_violations, run_axe, t

pytestmark = BROWSER

NBSP = "\u00a0"
REASON = "Tuntierittely puuttuu."


def ngettext(singular, plural, n):
    """A plural message as the browsers' language shows it."""
    with translation.override(LANGUAGE):
        return translation.ngettext(singular, plural, n)


PDF = {"name": "kuitti.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 kuitti"}


def test_claim_return_correct_approve_and_pay_in_finnish(
    open_browser, coordinator, payer, sent_mail
):
    user = make_user("guardian", username="gina-guardian")
    guardian = GuardianFactory(user=user, email="gina@example.invalid")
    case = AssignmentFactory(appointed=True, guardian=guardian, request__children=0)
    ChildFactory(request=case.request, first_name="Aino")

    # The guardian claims for their case: Finnish decimals, a receipt, a double click.
    gina = open_browser(user)
    page = gina.page
    page.goto(reverse("fees:claim_list"))
    claim_form = reverse("fees:claim_create", args=[case.uuid])
    page.locator(f'main a[href="{claim_form}"]').click()
    # No payee details yet: the form says to give them first (issue 15, part 3).
    page.get_by_role("link", name=t("Fill in your payee details")).click()
    expect(page.locator("h1")).to_have_text(t("Your payee details"))
    page.locator("#id_kind_0").check()
    page.fill("#id_name", "Gina Guardian")
    page.fill("#id_iban", "FI21 1234 5600 0007 85")
    page.get_by_role("button", name=t("Save")).click()
    expect(page.locator("#id_iban")).to_have_value("FI21 1234 5600 0007 85")
    page.goto(claim_form)
    expect(page.locator("main")).to_contain_text("FI… 0785")
    expect(page.locator("h1")).to_have_text(t("New fee claim"))
    expect(page.locator("#id_hours")).to_have_attribute("inputmode", "decimal")
    page.fill("#id_period_start", "2026-01-01")
    page.fill("#id_period_end", "2026-03-31")
    page.fill("#id_hours", "3,5")
    page.fill("#id_fee", "210,00")
    page.fill("#id_expenses-0-description", "Matkakulut")
    page.fill("#id_expenses-0-amount", "42,40")
    page.set_input_files("#id_expenses-0-receipt", files=[PDF])
    page.get_by_role("button", name=t("Send for approval")).dblclick()
    expect(page).to_have_url(re.compile(r"/claims/[0-9a-f-]{36}/$"))
    claim = FeeClaim.objects.get()  # one claim, however many clicks
    assert (claim.hours, claim.fee) == (Decimal("3.5"), Decimal("210.00"))
    facts = page.locator("main")
    expect(facts).to_contain_text("3,50")
    expect(facts).to_contain_text("252,40")
    claim_url = claim.get_absolute_url()

    # The coordinator chooses "return" but forgets the reason: the choice stays.
    alice = open_browser(coordinator)
    cpage = alice.page
    cpage.goto(claim_url)
    cpage.get_by_label(t("Return for correction")).check()
    cpage.get_by_role("button", name=t("Save the decision")).click()
    expect(cpage.locator("#error-summary")).to_be_visible()
    expect(cpage.get_by_label(t("Return for correction"))).to_be_checked()
    expect(cpage.get_by_label(t("Approve"), exact=True)).not_to_be_checked()
    cpage.get_by_label(t("Reason for returning")).fill(REASON)
    cpage.get_by_role("button", name=t("Save the decision")).click()
    expect(cpage.locator("main")).to_contain_text(REASON)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RETURNED

    # The guardian corrects: the expense with its receipt is there, and one is added.
    page.goto(claim_url)
    page.get_by_role("link", name=t("Correct and send again")).click()
    expect(page.locator("#id_expenses-0-description")).to_have_value("Matkakulut")
    expect(page.locator("#id_expenses-0-amount")).to_have_value("42,40")
    expense = claim.expenses.get()
    receipt = reverse("fees:claim_receipt", args=[claim.uuid, expense.uuid])
    expect(page.locator(f'a[href="{receipt}"]')).to_have_count(1)
    page.fill("#id_expenses-0-amount", "1 042,40")
    rows = page.locator("#expenses-forms > fieldset")
    count = rows.count()
    page.get_by_role("button", name=t("Add an expense")).click()
    expect(rows).to_have_count(count + 1)
    new = f"#id_expenses-{count}-"
    expect(page.locator(new + "description")).to_be_focused()
    page.fill(new + "description", "Pysäköinti")
    page.fill(new + "amount", "5,50")
    page.get_by_role("button", name=t("Send for approval")).click()
    expect(page).to_have_url(re.compile(re.escape(claim_url) + "$"))
    assert sorted(claim.expenses.values_list("amount", flat=True)) == [
        Decimal("5.50"),
        Decimal("1042.40"),
    ]

    # The coordinator approves after seeing the amounts in Finnish groups.
    cpage.goto(claim_url)
    cpage.get_by_label(t("Approve"), exact=True).check()
    cpage.get_by_role("button", name=t("Save the decision")).click()
    expect(cpage.locator("h1")).to_have_text(t("Approve the claim?"))
    summary = cpage.locator("main")
    for amount in ("3,50", "210,00", f"1{NBSP}042,40", f"1{NBSP}047,90", f"1{NBSP}257,90"):
        expect(summary).to_contain_text(amount)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    cpage.locator("main form button[type=submit]").click()
    expect(cpage).to_have_url(re.compile(re.escape(claim_url) + "$"))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert (claim.payee_name, claim.payee_iban) == ("Gina Guardian", "FI2112345600000785")

    # The payer's official (the county pays the case) marks the claim paid.
    pia = open_browser(payer)
    ppage = pia.page
    ppage.goto(reverse("fees:claim_list"))
    ppage.get_by_role("link", name=t("Mark claims paid")).click()
    expect(ppage.locator("h1")).to_have_text(t("Mark claims paid"))
    expect(ppage.locator("main")).to_contain_text(f"1{NBSP}257,90")
    ppage.get_by_label(t("Claim %(ref)s paid") % {"ref": claim.reference}).check()
    ppage.get_by_label(t("Payment date")).fill("2026-11-27")
    ppage.get_by_label(t("Your reference")).fill("MAKSU-2026-11")
    ppage.get_by_role("button", name=t("Mark paid")).click()
    expect(ppage.locator("main")).to_contain_text(
        ngettext("%(count)s claim was marked paid.", "%(count)s claims were marked paid.", 1)
        % {"count": 1}
    )
    expect(ppage.locator("main")).to_contain_text(t("No approved claims waiting for payment."))
    claim.refresh_from_db()
    assert (claim.status, claim.payment_reference) == (ClaimStatus.PAID, "MAKSU-2026-11")

    # The guardian sees the claim paid, with the date.
    page.goto(claim_url)
    expect(page.locator("main")).to_contain_text(t("Paid %(date)s") % {"date": "27.11.2026"})
    expect(page.locator("main")).to_contain_text("Maksettu 27.11.2026")

    sent = sent_mail()
    assert [m.to for m in sent] == [[guardian.email], [guardian.email]]
    assert all(claim.reference in m.subject and "Aino" not in m.body for m in sent)
    gina.assert_no_errors()
    alice.assert_no_errors()
    pia.assert_no_errors()


def test_the_claim_forms_are_accessible(open_browser, coordinator, payer):
    user = make_user("guardian", username="gina-guardian")
    case = AssignmentFactory(appointed=True, guardian=GuardianFactory(user=user))
    guardian = open_browser(user, bypass_csp=True)  # for axe-core
    guardian.page.goto(reverse("fees:payee_edit"))
    guardian.page.fill("#id_iban", "FI21 1234 5600 0007 86")
    guardian.page.get_by_role("button", name=t("Save")).click()
    summaries = [run_axe(guardian.page, "payee-form-errors-guardian")]
    guardian.page.goto(reverse("fees:claim_create", args=[case.uuid]))
    guardian.page.get_by_role("button", name=t("Send for approval")).click()
    summaries.append(run_axe(guardian.page, "claim-form-errors-guardian"))
    claim = FeeClaim.objects.create(
        assignment=case,
        period_start="2026-01-01",
        period_end="2026-01-31",
        hours=Decimal("1.5"),
        fee=Decimal("1000"),
    )
    coord = open_browser(coordinator, bypass_csp=True)
    coord.page.goto(claim.get_absolute_url())
    coord.page.get_by_role("button", name=t("Save the decision")).click()
    summaries.append(run_axe(coord.page, "claim-decision-errors-coordinator"))
    coord.page.get_by_label(t("Approve"), exact=True).check()
    coord.page.get_by_role("button", name=t("Save the decision")).click()
    summaries.append(run_axe(coord.page, "claim-confirm-coordinator"))
    # The payer's payment page, sent without a claim, a date or a reference.
    FeeClaim.objects.filter(pk=claim.pk).update(status=ClaimStatus.APPROVED)
    pay = open_browser(payer, bypass_csp=True)
    pay.page.goto(reverse("fees:claim_payment"))
    pay.page.get_by_role("button", name=t("Mark paid")).click()
    expect(pay.page.locator("#error-summary")).to_be_visible()
    summaries.append(run_axe(pay.page, "claim-payment-errors-payer"))
    assert not any(s["blocking"] for s in summaries), describe_violations(summaries)
