import datetime
import uuid as uuidlib
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.db.models import F, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.decorators import allowed_if
from common.display import choice_labels, short_dates, uuid_url
from common.exceptions import WorkflowError
from common.jinja2 import render_rows
from common.pagination import paginate_without_count
from common.templatetags.portal import amount
from fees import policies, scale
from fees import services as claim_services
from fees.enums import ClaimStatus
from fees.exports import as_csv, as_xlsx, export_values
from fees.forms import (
    ClaimDecisionForm,
    ClaimDraftForm,
    ClaimExpenseFormSet,
    ClaimExportForm,
    ClaimPaymentForm,
    ContactEntryForm,
    FeeClaimForm,
    PayeeForm,
)
from fees.models import ClaimExpense, ContactEntry, FeeClaim, Payee
from guardianship.access import AccessRefused, children_in_order, log_access
from guardianship.enums import AccessAction
from guardianship.models import Child, Guardian, short_reference
from municipalities import choices

PAGE_SIZE = 50


def _claims_for(user):
    return (
        FeeClaim.objects.for_user(user)
        .select_related("assignment__guardian", "assignment__request__payer")
        .prefetch_related(
            "expenses",
            Prefetch("assignment__request__children", queryset=Child.objects.order_by("id")),
        )
    )


def _expenses_sum():
    """A claim's expenses summed in the query that reads the claim (0,00 with none): a
    list's rows need no related manager each."""
    expenses = (
        ClaimExpense.objects.filter(claim=OuterRef("pk"))
        .values("claim")
        .annotate(sum=Sum("amount"))
        .values("sum")
    )
    return Coalesce(Subquery(expenses), Decimal("0.00"))


def _listed_claims(user):
    """The claims list's rows: only what a row shows, with the expenses summed and the
    payer's id read in the same query. Whole claims with their requests (70 columns),
    expenses and children cost the list some 25 ms of Python a page (issue 18)."""
    return (
        FeeClaim.objects.for_user(user)
        .select_related("assignment__guardian")
        .only(
            "uuid",
            "period_start",
            "period_end",
            "fee",
            "status",
            "submitted_at",
            "decided_at",
            "paid_at",
            "assignment__guardian__first_name",
            "assignment__guardian__last_name",
        )
        .annotate(
            expenses_sum=_expenses_sum(),
            payer_pk=F("assignment__request__payer_id"),
        )
    )


def _get_claim(request, uuid, action=AccessAction.VIEW):
    """The claim if the user may see it; otherwise 404, and a look at somebody else's
    claim is written to the access log as refused, like a look at a request."""
    claim = _claims_for(request.user).filter(uuid=uuid).first()
    if claim is None:
        existing = FeeClaim.objects.select_related("assignment__request").filter(uuid=uuid)
        if (found := existing.first()) is not None:
            raise AccessRefused(found.assignment.request, action)
        raise Http404
    return claim


def _log(request, action, claim):
    """A look at or a change of a claim, on the basis the policy gives (fees.policies):
    a row per child the claim shows, or one for its request when it shows none (to a
    former guardian)."""
    shown = claim.assignment.request
    log_access(
        request,
        action,
        guardianship_request=shown,
        children=shown.children.all() if policies.claim_shows_children(request.user, claim) else (),
        basis=policies.claim_basis(request.user, claim),
    )


# The claim list's filter for approved claims still unpaid FEE_CLAIM_UNPAID_DAYS after
# their approval (the coordinator's follow-up of the payers).
UNPAID = "unpaid"


@allowed_if(policies.can_see_claims)
def claim_list(request):
    claims = _listed_claims(request.user).order_by("-submitted_at", "-pk")
    status = request.GET.get("status", "")
    days = settings.FEE_CLAIM_UNPAID_DAYS
    if status in ClaimStatus.values:
        claims = claims.filter(status=status)
    elif status == UNPAID:
        claims = claims.filter(claim_services.unpaid_since(days)).order_by("decided_at", "pk")
    # One row past the page, no count of every claim (44 000 at the benchmark's volume).
    page = paginate_without_count(claims, request.GET.get("page"), PAGE_SIZE)
    shown = page.object_list
    unpaid_before = timezone.now() - datetime.timedelta(days=days)
    _describe_claims(shown, unpaid_before)
    unpaid_label = ngettext(
        "Approved, unpaid after %(days)s day",
        "Approved, unpaid after %(days)s days",
        days,
    ) % {"days": days}
    context = {
        "page_obj": page,
        "claims": shown,
        "claim_rows": render_rows(
            "fees/includes/claim_rows.jinja",
            {
                "claims": shown,
                # Translated here: makemessages reads no .jinja file (common/jinja2.py).
                "unpaid_label": ngettext(
                    "Unpaid after %(days)s day", "Unpaid after %(days)s days", days
                )
                % {"days": days},
            },
        ),
        "status": status,
        "statuses": [*ClaimStatus.choices, (UNPAID, unpaid_label)],
        "can_mark_paid": policies.can_mark_paid(request.user),
        "claimable": policies.claimable_assignments(request.user)
        if policies.can_claim(request.user)
        else [],
        "payee_link": policies.can_edit_payee(request.user),
        "export_form": ClaimExportForm(payers=policies.payers_for(request.user))
        if policies.can_export_claims(request.user)
        else None,
    }
    return render(request, "fees/claim_list.html", context)


def _describe_claims(claims, unpaid_before):
    """Each claim row's text in the active language, computed once per page (as
    guardianship.listing.describe does for the queue); `unpaid_too_long`, approved before
    `unpaid_before` and still unpaid, is highlighted in the list."""
    statuses = choice_labels(ClaimStatus.choices)
    url = uuid_url("fees:claim_detail")
    short_date = short_dates()
    # The payers' names from memory (municipalities.choices), not joined per row.
    payers = {entry.pk: entry for entry in choices.organisations()}
    for c in claims:
        c.url = url(c.uuid)
        c.period_text = f"{short_date(c.period_start, '')}–{short_date(c.period_end, '')}"
        c.total_text = amount(c.fee + c.expenses_sum)
        payer = payers.get(c.payer_pk)
        c.payer_name = payer.display_name if payer else ""
        if c.status == ClaimStatus.PAID and c.paid_at:
            c.status_text = _("Paid %(date)s") % {"date": short_date(c.paid_at)}
        else:
            c.status_text = statuses.get(c.status, c.status)
        c.unpaid_too_long = (
            c.status == ClaimStatus.APPROVED
            and c.decided_at is not None
            and c.decided_at < unpaid_before
        )


def _expense_values(formset):
    """The new claim's expenses: the rows filled in and not removed."""
    return [
        {k: v for k, v in form.cleaned_data.items() if k in ("description", "amount", "receipt")}
        for form in formset.kept_forms()
    ]


def _claim_form_page(request, form, formset, assignment, claim=None, drafted=(), payee=None):
    return render(
        request,
        "fees/claim_form.html",
        {
            "form": form,
            "formset": formset,
            "assignment": assignment,
            "claim": claim,
            "drafted": drafted,
            "payee": payee,
            "rates": list(scale.rates_for(assignment)),
        },
    )


def _no_payee(form):
    form.add_error(None, _("Fill in your payee details before you send a claim."))


@allowed_if(policies.can_claim)
def claim_create(request, assignment):
    assignment = get_object_or_404(policies.claimable_assignments(request.user), uuid=assignment)
    data = request.POST if request.method == "POST" else None
    initial, drafted = {"idempotency_key": uuidlib.uuid4()}, []
    draft = ClaimDraftForm(request.GET)
    if data is None and draft.is_valid():  # "draft the claim" on the contact log
        values, drafted = claim_services.draft_claim(
            assignment, draft.cleaned_data["start"], draft.cleaned_data["end"]
        )
        initial.update(values)
    form = FeeClaimForm(data, initial=initial, assignment=assignment)
    formset = ClaimExpenseFormSet(
        data, request.FILES or None, instance=FeeClaim(assignment=assignment), prefix="expenses"
    )
    payee = claim_services.payee_of(assignment.guardian)
    if data is None:
        return _claim_form_page(request, form, formset, assignment, drafted=drafted, payee=payee)
    earlier = claim_services.earlier_claim(data.get("idempotency_key", ""), by=request.user)
    if earlier is not None:
        # A double click: the claim the first post made.
        return redirect(earlier)
    if form.is_valid() and formset.is_valid() and payee is None:
        _no_payee(form)
    elif form.is_valid() and formset.is_valid():
        try:
            claim, created = claim_services.create_claim(
                assignment,
                by=request.user,
                expenses=_expense_values(formset),
                idempotency_key=form.cleaned_data["idempotency_key"],
                **form.claim_fields(),
            )
        except WorkflowError as error:
            # Somebody else's form key: keep what was typed, with a fresh key.
            form.data = form.data.copy()
            form.data["idempotency_key"] = str(uuidlib.uuid4())
            form.add_error(None, error.message)
        else:
            if created:
                _log(request, AccessAction.CREATE, claim)
                messages.success(request, _("The claim was sent to Pikassos for approval."))
            return redirect(claim)
    else:
        # The same form's other post may have committed while this one was checked: its
        # claim then "overlaps" this one, which is no error but the double click again.
        earlier = claim_services.earlier_claim(data.get("idempotency_key", ""), by=request.user)
        if earlier is not None:
            return redirect(earlier)
    return _claim_form_page(request, form, formset, assignment, payee=payee)


@allowed_if(policies.can_claim)
def claim_edit(request, uuid):
    claim = _get_claim(request, uuid, AccessAction.UPDATE)
    if not policies.can_correct_claim(request.user, claim):
        messages.error(request, _("Only a returned claim can be corrected."))
        return redirect(claim)
    _log(request, AccessAction.UPDATE, claim)
    data = request.POST if request.method == "POST" else None
    form = FeeClaimForm(data, instance=claim, assignment=claim.assignment)
    formset = ClaimExpenseFormSet(data, request.FILES or None, instance=claim, prefix="expenses")
    payee = claim_services.payee_of(claim.assignment.guardian)
    valid = data is not None and form.is_valid() and formset.is_valid()
    if valid and payee is None:
        _no_payee(form)
    elif valid:
        try:
            claim_services.resubmit_claim(
                claim, by=request.user, expenses=formset, **form.claim_fields()
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The corrected claim was sent again."))
        return redirect(claim)
    return _claim_form_page(request, form, formset, claim.assignment, claim, payee=payee)


def _detail_page(request, claim, decision_form=None):
    return render(
        request,
        "fees/claim_detail.html",
        {
            "claim": claim,
            "decision_form": decision_form or ClaimDecisionForm(),
            "show_children": policies.claim_shows_children(request.user, claim),
        },
    )


@allowed_if(policies.can_see_claims)
def claim_detail(request, uuid):
    claim = _get_claim(request, uuid)
    _log(request, AccessAction.VIEW, claim)
    return _detail_page(request, claim)


@require_POST
@allowed_if(policies.can_decide_claim)
def claim_decide(request, uuid):
    """Return with a reason, or approve in two steps: the amounts, then the confirmation.
    An error shows the claim again with the choice and the reason as they were."""
    claim = _get_claim(request, uuid, AccessAction.UPDATE)
    _log(request, AccessAction.UPDATE, claim)
    form = ClaimDecisionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, claim, decision_form=form)
    decision = form.cleaned_data["decision"]
    if decision == form.APPROVE and not form.confirms(claim):
        if form.cleaned_data["confirm"]:
            messages.warning(
                request, _("The claim was changed while you checked it. Check the amounts again.")
            )
        context = {"claim": claim, "confirm_form": ClaimDecisionForm.confirmation(claim)}
        return render(request, "fees/claim_confirm.html", context)
    try:
        if decision == form.APPROVE:
            claim_services.approve_claim(claim, by=request.user)
            messages.success(request, _("The claim was approved."))
        else:
            claim_services.return_claim(claim, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The claim was returned to the guardian."))
    except WorkflowError as error:
        messages.error(request, error.message)
    return redirect(claim)


@allowed_if(policies.can_see_claims)
def receipt(request, uuid, expense):
    """Receipts are never served as static files: only through this permission check."""
    claim = _get_claim(request, uuid)
    item = get_object_or_404(ClaimExpense, claim=claim, uuid=expense)
    if not item.receipt:
        raise Http404
    _log(request, AccessAction.VIEW, claim)
    return FileResponse(
        item.receipt.open("rb"),
        as_attachment=True,
        filename=f"kuitti-{claim.reference}-{item.pk}.{item.receipt.name.rsplit('.', 1)[-1]}",
    )


def _as_claim(row):
    """An export row (fees.exports.export_values) in the shape policies.claim_basis
    reads: the claim's status, its assignment's status and guardian, its request."""
    request = SimpleNamespace(payer_id=row.payer_id)
    guardian = SimpleNamespace(user_id=row.guardian_user_id)
    assignment = SimpleNamespace(
        status=row.assignment_status,
        guardian=guardian,
        request=request,
        request_id=row.request_id,
    )
    return SimpleNamespace(status=row.status, assignment=assignment)


def _export_bases(user, rows):
    """policies.claim_bases of export rows, the basis looked up once per distinct input
    of policies.claim_basis rather than per claim (its role checks per row were most of
    a large export's time)."""
    bases, known = {}, {}
    for row in rows:
        key = (row.status, row.assignment_status, row.guardian_user_id, row.payer_id)
        if key not in known:
            known[key] = policies.claim_basis(user, _as_claim(row))
        if known[key]:
            bases.setdefault(row.request_id, known[key])
    return bases


@allowed_if(policies.can_export_claims)
def claim_export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form = ClaimExportForm(request.GET, payers=policies.payers_for(request.user))
    if not form.is_valid():
        return render(request, "fees/claim_export.html", {"export_form": form}, status=400)
    payer, start, end = (form.cleaned_data[k] for k in ("payer", "start", "end"))
    claims = list(
        export_values(
            FeeClaim.objects.for_user(request.user)
            .filter(
                status__in=policies.PAYER_STATES,
                assignment__request__payer=payer,
                period_end__gte=start,
                period_end__lte=end,
            )
            .order_by("period_start", "pk")
        )
    )
    # The export names no child, but its case numbers and references are the children's
    # cases: it is a disclosure to the paying organisation, logged as an export with the
    # payer as its recipient, a row per child on the basis that let the user see the claim.
    # The children are read as (id, request) pairs, once per request.
    children = children_in_order([c.request_id for c in claims])
    if children:
        log_access(
            request,
            AccessAction.EXPORT,
            children=children,
            basis=_export_bases(request.user, claims),
            recipient=payer.name,
        )
    name = f"palkkiot-{payer.slug}-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "csv":
        return as_csv(claims, f"{name}.csv")
    title = f"{payer.name} {start:%d.%m.%Y}–{end:%d.%m.%Y}"
    response = HttpResponse(
        as_xlsx(claims, title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# The payer's page shows the oldest approved claims up to this many: a payer marks a
# month's payments at once, and a backlog of thousands made the page unusable (issue 18).
PAYMENT_BATCH = 100


def _payment_page(request, form):
    # One past the batch says whether more wait, without counting the whole backlog. The
    # columns a row shows as tuples: a hundred claims built as models with their requests
    # and guardians were most of the page (issue 18).
    payable = list(
        policies.payable_claims(request.user)
        .annotate(
            expenses_sum=_expenses_sum(),
            request_uuid=F("assignment__request__uuid"),
            case_number=F("assignment__request__case_number"),
            first_name=F("assignment__guardian__first_name"),
            last_name=F("assignment__guardian__last_name"),
        )
        .order_by("decided_at", "pk")
        .values_list(
            "uuid",
            "fee",
            "expenses_sum",
            "period_start",
            "period_end",
            "decided_at",
            "request_uuid",
            "case_number",
            "first_name",
            "last_name",
            named=True,
        )[: PAYMENT_BATCH + 1]
    )
    more = len(payable) > PAYMENT_BATCH
    selected = set(form.data.getlist("claims")) if form.is_bound else set()
    url = uuid_url("fees:claim_detail")
    short_date = short_dates()
    rows = []
    for claim in payable[:PAYMENT_BATCH]:
        reference = short_reference(claim.uuid)
        rows.append(
            SimpleNamespace(
                uuid=claim.uuid,
                checked=str(claim.uuid) in selected,
                check_label=_("Claim %(ref)s paid") % {"ref": reference},
                url=url(claim.uuid),
                reference=reference,
                request_reference=short_reference(claim.request_uuid),
                case_number=claim.case_number,
                guardian=f"{claim.first_name} {claim.last_name}",
                period=f"{short_date(claim.period_start, '')}–{short_date(claim.period_end, '')}",
                approved=short_date(claim.decided_at, ""),
                total=amount(claim.fee + claim.expenses_sum),
            )
        )
    return render(
        request,
        "fees/claim_payment.html",
        {
            "form": form,
            "rows": rows,
            "payment_rows": render_rows(
                "fees/includes/payment_rows.jinja",
                {"rows": rows, "described_by": "claims-error" if form["claims"].errors else ""},
            ),
            "more": more,
            "batch": PAYMENT_BATCH,
        },
    )


def _report_paid_already(request, already):
    """A claim somebody marked paid meanwhile is named, with its payment, and left so."""
    for claim in already:
        messages.warning(
            request,
            _(
                "Claim %(ref)s had already been marked paid on %(date)s (reference "
                "%(reference)s): it was left as it was."
            )
            % {
                "ref": claim.reference,
                "date": date_format(claim.paid_at, "SHORT_DATE_FORMAT"),
                "reference": claim.payment_reference,
            },
        )


@allowed_if(policies.can_mark_paid)
def claim_payment(request):
    """The payer's official: the approved, unpaid claims of their organisation, a batch of
    them marked paid with the payment date and their own reference."""
    data = request.POST if request.method == "POST" else None
    form = ClaimPaymentForm(data, claims=policies.payment_scope(request.user))
    if data is None or not form.is_valid():
        return _payment_page(request, form)
    try:
        paid, already = claim_services.mark_paid(
            form.cleaned_data["claims"],
            by=request.user,
            paid_at=form.cleaned_data["paid_at"],
            reference=form.cleaned_data["payment_reference"],
        )
    except WorkflowError as error:
        form.add_error(None, error.message)
        return _payment_page(request, form)
    if paid:
        children = Child.objects.filter(request__in={c.assignment.request_id for c in paid})
        log_access(
            request,
            AccessAction.UPDATE,
            children=children,
            basis=policies.claim_bases(request.user, paid),
        )
        messages.success(
            request,
            ngettext(
                "%(count)s claim was marked paid.", "%(count)s claims were marked paid.", len(paid)
            )
            % {"count": len(paid)},
        )
    _report_paid_already(request, already)
    return redirect("fees:claim_payment")


def _contact_log_assignment(request, uuid):
    assignment = get_object_or_404(
        policies.contact_assignments(request.user).select_related("request"), uuid=uuid
    )
    log_access(
        request,
        AccessAction.VIEW if request.method == "GET" else AccessAction.UPDATE,
        guardianship_request=assignment.request,
        basis=policies.contact_basis(assignment),
    )
    return assignment


@allowed_if(policies.can_claim)
def contact_log(request, assignment):
    """The guardian's contact log of one case: contacts recorded as they happen, and a
    claim drafted from those not yet claimed."""
    assignment = _contact_log_assignment(request, assignment)
    form = ContactEntryForm(request.POST or None, assignment=assignment)
    if request.method == "POST" and form.is_valid():
        try:
            claim_services.record_contact(assignment, by=request.user, **form.cleaned_data)
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The contact was recorded."))
            return redirect("fees:contact_log", assignment=assignment.uuid)
    entries = list(assignment.contact_entries.select_related("claim").order_by("-date", "-id"))
    unclaimed = [e for e in entries if e.claim_id is None]
    draft_form = ClaimDraftForm(
        initial={"start": unclaimed[-1].date, "end": unclaimed[0].date} if unclaimed else None
    )
    return render(
        request,
        "fees/contact_log.html",
        {
            "assignment": assignment,
            "form": form,
            "entries": entries,
            "unclaimed": unclaimed,
            "draft_form": draft_form,
        },
    )


@require_POST
@allowed_if(policies.can_claim)
def contact_delete(request, assignment, entry):
    assignment = _contact_log_assignment(request, assignment)
    entry = get_object_or_404(ContactEntry, assignment=assignment, uuid=entry)
    try:
        claim_services.delete_contact(entry, by=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The contact was removed."))
    return redirect("fees:contact_log", assignment=assignment.uuid)


# The guardian's payee details (fees.Payee): personal data (an account number), so never
# in a URL, a log line or an e-mail; the guardian edits their own, a coordinator sees them.


@allowed_if(policies.can_edit_payee)
def payee_edit(request):
    guardian = get_object_or_404(Guardian, user=request.user)
    payee = Payee.objects.filter(guardian=guardian).first() or Payee(guardian=guardian)
    form = PayeeForm(request.POST or None, instance=payee)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("Your payee details were saved. Claims you send from now on are paid to them."),
        )
        return redirect("fees:payee_edit")
    return render(request, "fees/payee_form.html", {"form": form, "payee": payee})


@allowed_if(policies.can_see_payees)
def payee_detail(request, uuid):
    guardian = get_object_or_404(Guardian, uuid=uuid)
    if not policies.may_see_payee(request.user, guardian):
        raise Http404
    payee = Payee.objects.filter(guardian=guardian).first()
    return render(request, "fees/payee_detail.html", {"guardian": guardian, "payee": payee})
