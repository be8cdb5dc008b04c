import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse

from guardianship.enums import AccessAction, AccessBasis, AccessOutcome, AssignmentStatus, State
from guardianship.factories import (
    AssignmentFactory,
    ChildFactory,
    GuardianFactory,
    GuardianshipRequestFactory,
)
from guardianship.forms import reference_range, validate_identity_code
from guardianship.models import AccessLog, Child, GuardianshipRequest, mask_identity_code
from guardianship.tests.helpers import CHILDREN, export_period, request_form_data

CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_SIGNS = "+-YXWVUABCDEF"


def code(date, sign, number="998"):
    return f"{date}{sign}{number}{CHECK[int(date + number) % 31]}"


@pytest.mark.parametrize("sign", list(CENTURY_SIGNS))
def test_every_century_sign_of_2023_is_accepted(sign):
    assert validate_identity_code(code("100190", sign)) == code("100190", sign)


def test_a_lowercase_sign_is_stored_upper_case():
    assert validate_identity_code(code("010115", "A").lower()) == code("010115", "A")


def test_a_bad_check_character_is_refused():
    good = code("010115", "A")
    bad = good[:-1] + ("X" if good[-1] != "X" else "Y")
    with pytest.raises(ValidationError) as refused:
        validate_identity_code(bad)
    assert refused.value.code == "invalid_hetu"


@pytest.mark.parametrize("date", ["310215", "300215", "010015", "321215"])
def test_an_impossible_date_is_refused(date):
    with pytest.raises(ValidationError):
        validate_identity_code(code(date, "A"))


@pytest.mark.parametrize("value", ["", "abc", "010115A99", "010115Q998H", "0101150998H"])
def test_malformed_codes_are_refused(value):
    with pytest.raises(ValidationError):
        validate_identity_code(value)


def test_a_temporary_code_is_accepted_and_shown_as_temporary(db):
    child = ChildFactory(identity_code=code("010115", "A", "998"))
    assert child.has_temporary_code
    assert not ChildFactory(identity_code=code("010115", "A", "123")).has_temporary_code


@pytest.mark.django_db
def test_dash_and_y_variants_are_different_people():
    dash, y = code("100190", "-", "999"), code("100190", "Y", "999")
    assert (dash, y) == ("100190-999P", "100190Y999P")
    request = GuardianshipRequestFactory(children=0)
    ChildFactory(request=request, identity_code=dash)
    ChildFactory(request=request, identity_code=y)
    assert sorted(request.children.values_list("identity_code", flat=True)) == sorted([dash, y])


# Masked everywhere, shown on purpose, searched by POST (issue 13, part 3) ---------------

# A temporary code (individual number 900-999): no real person has it.
CODE = code("010115", "A", "998")
MASKED = "010115A***H"
LIST = reverse("guardianship:request_list")


def reveal_url(child):
    return reverse("guardianship:child_identity_code", kwargs={"uuid": child.uuid})


@pytest.fixture
def coded():
    """A Pori request for Aino, whose code is CODE, and her brother without a code."""
    request = GuardianshipRequestFactory(children=0, case_number="H 26/7")
    aino = ChildFactory(request=request, first_name="Aino", identity_code=CODE)
    ChildFactory(request=request, first_name="Eino")
    return request, aino


def serving(request, user, status=AssignmentStatus.ACTIVE):
    return AssignmentFactory(request=request, guardian=GuardianFactory(user=user), status=status)


def test_the_mask_keeps_the_date_the_century_sign_and_the_check_character():
    assert mask_identity_code("120315A123J") == "120315A***J"
    assert mask_identity_code("100190-999P") == "100190-***P"
    assert mask_identity_code("") == ""
    assert Child(identity_code=CODE).masked_identity_code == MASKED


@pytest.mark.django_db
def test_the_request_page_shows_the_code_masked_with_a_button_to_show_it(client, sw_pori, coded):
    request, aino = coded
    client.force_login(sw_pori)
    html = client.get(request.get_absolute_url()).content.decode()
    assert MASKED in html
    assert CODE not in html
    assert f'<form method="post" action="{reveal_url(aino)}"' in html
    # Only the child with a code has the button.
    assert html.count('action="/guardianship/children/') == 1


@pytest.mark.django_db
def test_no_page_or_export_shows_a_full_code(client, coordinator, coded):
    request, aino = coded
    client.force_login(coordinator)
    report = reverse("guardianship:child_access_report", kwargs={"uuid": aino.uuid})
    pages = [
        (request.get_absolute_url(), {}),
        (LIST, {"state": "all"}),
        (reverse("guardianship:request_export"), export_period(state="all")),
        (reverse("guardianship:request_matching", kwargs={"uuid": request.uuid}), {}),
        (report, {}),
        (report, {"format": "csv"}),
    ]
    for url, params in pages:
        response = client.get(url, params)
        assert response.status_code == 200, url
        assert CODE not in response.content.decode("utf-8-sig"), url
    assert request.reference in client.get(LIST, {"state": "all"}).content.decode()


@pytest.mark.django_db
def test_the_admin_shows_the_code_masked_and_read_only(admin_client, coded):
    request, aino = coded
    pages = [
        reverse("admin:guardianship_guardianshiprequest_change", args=[request.pk]),
        reverse("admin:guardianship_child_change", args=[aino.pk]),
        reverse("admin:guardianship_child_changelist"),
    ]
    for url in pages:
        html = admin_client.get(url).content.decode()
        assert MASKED in html, url
        assert CODE not in html, url
        assert 'identity_code"' not in html, url  # no input for it
    # A new child's code can be typed: there is nothing to reveal yet.
    add = admin_client.get(reverse("admin:guardianship_child_add")).content.decode()
    assert 'name="identity_code"' in add


@pytest.mark.django_db
def test_the_admin_does_not_search_children_by_identity_code(admin_client, coded):
    """The admin searches by GET: a code would land in the URL and the server's log."""
    url = reverse("admin:guardianship_child_changelist")
    assert admin_client.get(url, {"q": "Aino"}).context["cl"].result_count == 1
    assert admin_client.get(url, {"q": CODE}).context["cl"].result_count == 0


@pytest.mark.django_db
def test_a_draft_shows_the_code_masked_for_editing_and_keeps_it(client, sw_pori):
    client.force_login(sw_pori)
    data = request_form_data()
    del data["submit"]
    client.post(reverse("guardianship:request_create"), data)
    request = GuardianshipRequest.objects.get()
    children = {c.first_name: c for c in request.children.all()}
    edit = reverse("guardianship:request_edit", kwargs={"uuid": request.uuid})
    html = client.get(edit).content.decode()
    for _first, _last, full in CHILDREN:
        assert full not in html
        assert f'value="{mask_identity_code(full)}"' in html
    # Sent back as shown (the masked codes), the codes stay; a new code replaces one.
    data.update(
        {
            "children-INITIAL_FORMS": "2",
            "children-0-id": children["Aino"].pk,
            "children-0-identity_code": mask_identity_code(CHILDREN[0][2]),
            "children-1-id": children["Eino"].pk,
            "children-1-identity_code": code("150317", "A", "997"),
        }
    )
    assert client.post(edit, data).status_code == 302
    codes = dict(request.children.values_list("first_name", "identity_code"))
    assert codes == {"Aino": CHILDREN[0][2], "Eino": code("150317", "A", "997")}
    # Masked text is no code for a child who has none saved.
    data["children-1-identity_code"] = MASKED
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "identity_code" in response.context["formset"].forms[1].errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "basis"),
    [
        ("coordinator", AccessBasis.COORDINATOR),
        ("sw_pori", AccessBasis.TEAM_MEMBER),
        ("guardian_user", AccessBasis.APPOINTED_GUARDIAN),
    ],
)
def test_showing_the_code_is_a_logged_action_of_its_own(client, request, coded, who, basis):
    obj, aino = coded
    user = request.getfixturevalue(who)
    if who == "guardian_user":
        serving(obj, user)
    client.force_login(user)
    response = client.post(reveal_url(aino))
    assert response.status_code == 200
    assert CODE in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    (row,) = AccessLog.objects.filter(action=AccessAction.REVEAL)
    assert (row.user, row.children, row.request, row.outcome) == (
        user,
        [aino.pk],
        obj,
        AccessOutcome.ALLOWED,
    )
    assert row.basis == basis
    assert row.path == reveal_url(aino)
    # Back on the request page the code is masked again.
    assert CODE not in client.get(obj.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_access_report_names_the_showing_of_the_code(client, sw_pori, coordinator, coded):
    _obj, aino = coded
    client.force_login(sw_pori)
    client.post(reveal_url(aino))
    client.force_login(coordinator)
    report = reverse("guardianship:child_access_report", kwargs={"uuid": aino.uuid})
    html = client.get(report, HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Henkilötunnus näytetty" in html and sw_pori.get_full_name() in html
    assert CODE not in html


@pytest.mark.django_db
def test_a_proposed_guardian_cannot_show_the_code(client, guardian_user, coded):
    obj, aino = coded
    serving(obj, guardian_user, status=AssignmentStatus.PROPOSED)
    client.force_login(guardian_user)
    page = client.get(obj.get_absolute_url()).content.decode()
    # Proposed: no identity code at all, not even masked (issue 13, part 2).
    assert MASKED not in page and CODE not in page
    assert reveal_url(aino) not in page  # no button
    response = client.post(reveal_url(aino))
    assert response.status_code == 404
    assert CODE not in response.content.decode()
    (row,) = AccessLog.objects.filter(action=AccessAction.REVEAL)
    assert (row.user, row.outcome, row.basis) == (guardian_user, AccessOutcome.REFUSED, "")


@pytest.mark.django_db
def test_showing_the_code_outside_the_scope_is_refused_and_logged(client, sw_rauma, coded):
    _obj, aino = coded
    client.force_login(sw_rauma)
    response = client.post(reveal_url(aino))
    assert response.status_code == 404
    assert CODE not in response.content.decode()
    (row,) = AccessLog.objects.filter(action=AccessAction.REVEAL)
    assert (row.user, row.outcome) == (sw_rauma, AccessOutcome.REFUSED)


@pytest.mark.django_db
def test_showing_the_code_is_post_only_and_needs_a_child_data_role(client, sw_pori, planner, coded):
    _obj, aino = coded
    client.force_login(sw_pori)
    assert client.get(reveal_url(aino)).status_code == 405
    client.force_login(planner)
    assert client.post(reveal_url(aino)).status_code == 403
    assert not AccessLog.objects.filter(action=AccessAction.REVEAL).exists()


@pytest.mark.django_db
def test_a_child_without_a_code_has_nothing_to_show(client, sw_pori, coded):
    obj, _aino = coded
    eino = obj.children.get(first_name="Eino")
    client.force_login(sw_pori)
    assert client.post(reveal_url(eino)).status_code == 404
    assert not AccessLog.objects.filter(action=AccessAction.REVEAL).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("typed", [CODE, CODE.lower(), f"  {CODE} "])
def test_search_by_identity_code_goes_by_post_and_finds_the_request(client, sw_pori, coded, typed):
    obj, _aino = coded
    obj.state = State.CANCELLED
    obj.save()  # found in every state, not only in the open queue
    other = GuardianshipRequestFactory()
    client.force_login(sw_pori)
    response = client.post(LIST, {"identity_code": typed})
    assert response.status_code == 200
    assert "Location" not in response
    assert [r.pk for r in response.context["requests"]] == [obj.pk]
    html = response.content.decode()
    assert CODE not in html and CODE.lower() not in html  # not in a link, nor the input
    assert MASKED in html and obj.reference in html and other.reference not in html
    rows = AccessLog.objects.filter(action=AccessAction.LIST)
    (row,) = rows  # one row naming both children of the request found
    assert len(row.children) == 2
    assert set(rows.values_list("basis", flat=True)) == {AccessBasis.TEAM_MEMBER}
    assert not AccessLog.objects.filter(path__icontains=CODE).exists()


@pytest.mark.django_db
def test_search_by_identity_code_stays_within_the_users_requests(client, sw_rauma, coded):
    client.force_login(sw_rauma)
    response = client.post(LIST, {"identity_code": CODE})
    assert response.status_code == 200
    assert list(response.context["requests"]) == []
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "found"), [(AssignmentStatus.ACTIVE, True), (AssignmentStatus.PROPOSED, False)]
)
def test_only_a_serving_guardian_finds_a_case_by_identity_code(
    client, guardian_user, coded, status, found
):
    """A code found is a code confirmed: the search answers only where the user's part may
    have the code shown."""
    obj, _aino = coded
    serving(obj, guardian_user, status=status)
    client.force_login(guardian_user)
    response = client.post(LIST, {"identity_code": CODE})
    assert [r.pk for r in response.context["requests"]] == ([obj.pk] if found else [])
    listed = AccessLog.objects.filter(action=AccessAction.LIST)
    assert sum(len(row.children) for row in listed) == (2 if found else 0)


@pytest.mark.django_db
def test_a_wrong_identity_code_is_explained_and_not_written_back(client, coordinator, coded):
    wrong = CODE[:-1] + "X"
    client.force_login(coordinator)
    response = client.post(LIST, {"identity_code": wrong})
    assert response.status_code == 200
    assert list(response.context["requests"]) == []
    assert response.context["code_form"].errors["identity_code"]
    html = response.content.decode()
    assert 'href="#id_identity_code"' in html
    assert wrong not in html


@pytest.mark.django_db
def test_the_get_search_does_not_match_identity_codes(client, coordinator, coded):
    """A code typed into the GET search would land in URLs and server logs: it finds
    nothing there, so nobody learns to search codes that way."""
    client.force_login(coordinator)
    for text in (CODE, CODE[:6]):
        response = client.get(LIST, {"q": text, "state": "all"})
        assert list(response.context["requests"]) == [], text


@pytest.mark.django_db
def test_the_queue_finds_a_request_by_its_reference(client, coordinator):
    wanted, other = GuardianshipRequestFactory(), GuardianshipRequestFactory()
    client.force_login(coordinator)
    reference = wanted.reference
    assert reference == str(wanted.uuid)[:8].upper() and reference != other.reference
    for typed in (reference, reference.lower(), f"  {reference} "):
        response = client.get(LIST, {"q": typed})
        assert [r.pk for r in response.context["requests"]] == [wanted.pk], typed
    # Seven characters are no reference.
    assert list(client.get(LIST, {"q": reference[:7] + "g"}).context["requests"]) == []


def test_a_reference_is_searched_as_a_uuid_range():
    where = reference_range("AbCdEf01")
    assert str(where) == str(
        Q(
            uuid__gte=uuid.UUID("abcdef01000000000000000000000000"),
            uuid__lte=uuid.UUID("abcdef01ffffffffffffffffffffffff"),
        )
    )
    assert reference_range("abcdef0") is None
    assert reference_range("abcdef0g") is None
    assert reference_range(CODE) is None
