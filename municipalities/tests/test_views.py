import pytest
from django.urls import reverse

from municipalities.factories import MembershipFactory, MunicipalityFactory, OrganisationFactory
from municipalities.models import ContactPerson, Organisation, OrganisationKind
from municipalities.views import PAGE_SIZE

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("municipalities:directory")


@pytest.fixture
def client_in(client, planner):
    client.force_login(planner)
    return client


def names(response):
    return [o.name for o in response.context["organisations"]]


def test_directory_lists_every_organisation_of_the_region(client_in):
    response = client_in.get(DIRECTORY)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == Organisation.objects.count() == 25
    assert "Eura" in names(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Pori", "Pori"),
        ("609", "Pori"),
        ("björneborg", "Pori"),
        ("posa", "Pohjois-Satakunnan peruspalvelukuntayhtymä"),
    ],
)
def test_directory_search_by_name_swedish_name_short_name_or_code(client_in, query, expected):
    found = names(client_in.get(DIRECTORY, {"q": query}))
    assert expected in found


def test_directory_search_by_code_finds_only_that_municipality(client_in):
    assert names(client_in.get(DIRECTORY, {"q": "684"})) == ["Rauma"]


def test_directory_filter_by_kind(client_in):
    found = names(client_in.get(DIRECTORY, {"kind": OrganisationKind.JOINT_AUTHORITY}))
    assert len(found) == 4
    assert "Kessote" in " ".join(found) or "Keski-Satakunnan" in " ".join(found)


def test_directory_filter_current_and_former(client_in):
    assert names(client_in.get(DIRECTORY, {"status": "former"})) == ["Honkajoki"]
    current = names(client_in.get(DIRECTORY, {"status": "current", "kind": "municipality"}))
    assert len(current) == 16
    assert "Honkajoki" not in current


def test_directory_explains_an_invalid_filter(client_in):
    response = client_in.get(DIRECTORY, {"kind": "spaceship"})
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert names(response) == []


def test_directory_paginates_and_keeps_filters_in_page_links(client_in):
    OrganisationFactory.create_batch(PAGE_SIZE + 5)
    response = client_in.get(DIRECTORY, {"kind": OrganisationKind.NGO})
    assert len(names(response)) == PAGE_SIZE
    assert b"kind=ngo&amp;page=2" in response.content
    second = client_in.get(DIRECTORY, {"kind": OrganisationKind.NGO, "page": 2})
    assert len(names(second)) == 5


def test_organisation_page_shows_members_services_contacts_and_successor(client_in):
    response = client_in.get(reverse("municipalities:detail", kwargs={"slug": "posa"}))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Jämijärvi",
        "Perheneuvola",
        "Lastensuojelu",
        "Anna Isoviita",
        "Varautuminen koronapandemiaan",
    ]:
        assert text in html
    honkajoki = client_in.get(reverse("municipalities:detail", kwargs={"slug": "honkajoki"}))
    assert (
        reverse("municipalities:detail", kwargs={"slug": "kankaanpaa"})
        in honkajoki.content.decode()
    )


def test_municipality_page_shows_its_memberships(client_in):
    html = client_in.get(reverse("municipalities:detail", kwargs={"slug": "pori"})).content.decode()
    assert "Porin perusturvan yhteistoiminta-alue" in html
    assert "Satakunnan hyvinvointialue" in html


def test_unknown_organisation_is_404(client_in):
    assert (
        client_in.get(reverse("municipalities:detail", kwargs={"slug": "atlantis"})).status_code
        == 404
    )


def _grow(n):
    authority = OrganisationFactory(kind=OrganisationKind.JOINT_AUTHORITY, slug="big-authority")
    for municipality in MunicipalityFactory.create_batch(n):
        MembershipFactory(member=municipality, authority=authority)
        ContactPerson.objects.create(organisation=municipality, name="Yhteys Henkilö")
    return authority


@pytest.mark.parametrize("n", [5, 100])
def test_organisation_page_query_count_does_not_grow(client_in, django_assert_max_num_queries, n):
    authority = _grow(n)
    with django_assert_max_num_queries(14):
        response = client_in.get(authority.get_absolute_url())
    assert len(response.context["organisation"].member_links.all()) == n
