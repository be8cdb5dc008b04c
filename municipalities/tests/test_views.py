import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

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
    """The names listed, current ones (this page) first, then the former ones."""
    listed = [*response.context["organisations"], *response.context["former"]]
    return [o.name for o in listed]


def former_names(response):
    return [o.name for o in response.context["former"]]


def test_directory_lists_every_organisation_of_the_region(client_in):
    response = client_in.get(DIRECTORY)
    assert response.status_code == 200
    # The reference data and the state's payer of guardianship 0018.
    assert response.context["total"] == Organisation.objects.count() == 28
    assert response.context["page_obj"].paginator.count == 28 - 5  # 5 former ones
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
    response = client_in.get(DIRECTORY, {"kind": OrganisationKind.JOINT_AUTHORITY})
    # All four ended with 2022: they are listed under "former" only.
    assert list(response.context["organisations"]) == []
    assert len(former_names(response)) == 4
    assert "Keski-Satakunnan sosiaali- ja terveydenhuollon kuntayhtymä" in former_names(response)
    assert "No organisations match" not in response.content.decode()


def test_directory_filter_current_and_former(client_in):
    former = client_in.get(DIRECTORY, {"status": "former"})
    assert list(former.context["organisations"]) == []
    assert former_names(former) == [
        # The latest end first, then by name.
        "Keski-Satakunnan sosiaali- ja terveydenhuollon kuntayhtymä",
        "Pohjois-Satakunnan peruspalvelukuntayhtymä",
        "Porin perusturvan yhteistoiminta-alue",
        "Satakunnan sairaanhoitopiirin kuntayhtymä",
        "Honkajoki",
    ]
    current = client_in.get(DIRECTORY, {"status": "current", "kind": "municipality"})
    assert len(names(current)) == 16
    assert "Honkajoki" not in names(current)
    assert former_names(current) == []


def test_directory_shows_the_former_joint_authorities_with_end_date_and_successor(client_in):
    response = client_in.get(DIRECTORY)
    html = response.content.decode()
    current = [o.slug for o in response.context["organisations"]]
    for slug in ["satasairaala", "porin-yta", "kessote", "posa", "honkajoki"]:
        assert slug not in current
    former_section = html.split("Lakanneet organisaatiot", 1)[1]
    county_url = reverse("municipalities:detail", kwargs={"slug": "satakunnan-hyvinvointialue"})
    for name in [
        "Satakunnan sairaanhoitopiirin kuntayhtymä",
        "Porin perusturvan yhteistoiminta-alue",
        "Keski-Satakunnan sosiaali- ja terveydenhuollon kuntayhtymä",
        "Pohjois-Satakunnan peruspalvelukuntayhtymä",
    ]:
        row = former_section.split(name, 1)[1].split("</tr>", 1)[0]
        assert "31.12.2022" in row, name
        assert f'<a href="{county_url}">Satakunnan hyvinvointialue</a>' in row, name
    honkajoki = former_section.split("Honkajoki", 1)[1].split("</tr>", 1)[0]
    assert "31.12.2020" in honkajoki and "Kankaanpää" in honkajoki


def test_directory_shows_the_latest_former_ones_and_pages_them_all_under_the_filter(
    client_in,
):
    ended = OrganisationFactory.create_batch(
        PAGE_SIZE + 1,
        valid_to=datetime.date(2024, 6, 30),
        successor=Organisation.objects.get(slug="pori"),
    )
    response = client_in.get(DIRECTORY, {"kind": OrganisationKind.NGO})
    assert len(former_names(response)) == PAGE_SIZE
    assert response.context["former_count"] == PAGE_SIZE + 1
    assert f"Kaikki {PAGE_SIZE + 1} lakannutta organisaatiota" in response.content.decode()
    assert "kind=ngo&amp;status=former" in response.content.decode()
    second = client_in.get(DIRECTORY, {"kind": OrganisationKind.NGO, "status": "former", "page": 2})
    assert former_names(second) == [ended[-1].name]


def test_directory_rows_show_kind_code_and_whether_current_or_from_a_date(client_in):
    starts = timezone.localdate() + datetime.timedelta(days=40)
    OrganisationFactory(
        name="Aaltola tuleva yhdistys", slug="aaltola", kind=OrganisationKind.NGO, valid_from=starts
    )
    html = client_in.get(DIRECTORY, {"q": "Eura"}).content.decode()
    eura = html.split(">Eura</a>", 1)[1].split("</tr>", 1)[0]
    url = reverse("municipalities:detail", kwargs={"slug": "eura"})
    assert f'<a href="{url}">Eura</a>' in html
    assert ">Kunta</td>" in eura and ">050</td>" in eura and ">Toiminnassa</td>" in eura
    future = client_in.get(DIRECTORY, {"q": "Aaltola"}).content.decode()
    row = future.split("Aaltola tuleva yhdistys", 1)[1].split("</tr>", 1)[0]
    assert f">{starts.day}.{starts.month}.{starts.year} alkaen</td>" in row and ">–</td>" in row


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


def page(client, slug):
    response = client.get(reverse("municipalities:detail", kwargs={"slug": slug}))
    assert response.status_code == 200
    return response.content.decode()


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


def test_a_former_joint_authority_page_shows_its_end_and_successor(client_in):
    html = page(client_in, "kessote")
    county_url = reverse("municipalities:detail", kwargs={"slug": "satakunnan-hyvinvointialue"})
    assert "Lakannut 31.12.2022." in html
    assert f'Seuraaja: <a href="{county_url}">Satakunnan hyvinvointialue</a>' in html
    # The members' periods: from 1.1.2021 to the end.
    assert "Kokemäki</a> (1.1.2021–31.12.2022)" in html


def test_posa_facts_are_shown_as_history_of_2020(client_in):
    html = page(client_in, "posa")
    assert "Tiedot vuodelta 2020 (historiaa)" in html
    history = html.split('<section class="history"', 1)[1].split("</section>", 1)[0]
    for text in ["noin 50 ammattilaista", "Anna Isoviita", "Varautuminen koronapandemiaan"]:
        assert text in history
    assert "Kirjattu noin 1.4.2020" in history
    # A municipality's services from POSA say that POSA has ended.
    assert "Lakannut 31.12.2022" in page(client_in, "jamijarvi")


def test_county_page_shows_its_area_and_municipality_pages_their_county(client_in):
    html = page(client_in, "satakunnan-hyvinvointialue")
    area = html.split("<dt>Alue</dt>", 1)[1].split("</dd>", 1)[0]
    assert area.count("<a ") == 16 and "Honkajoki" not in area
    assert reverse("municipalities:detail", kwargs={"slug": "siikainen"}) in area
    assert "<h2>Jäsenet</h2>" not in html
    assert "Satasairaala on hyvinvointialueen keskussairaala." in html
    pori = page(client_in, "pori")
    assert "<dt>Hyvinvointialue</dt>" in pori


def test_pikassos_page_shows_its_owners(client_in):
    html = page(client_in, "pikassos")
    owners = html.split("<dt>Omistajat</dt>", 1)[1].split("</dd>", 1)[0]
    for name in ["Kanta-Hämeen", "Pirkanmaan", "Satakunnan"]:
        assert f"{name} hyvinvointialue</a>" in owners
    assert "Pikassos Oy</a>" in page(client_in, "pirkanmaan-hyvinvointialue")


def test_swedish_name_is_marked_as_traditional(client_in):
    html = page(client_in, "siikainen")
    assert "<dt>Perinteinen ruotsinkielinen nimi</dt>" in html
    assert '<span lang="sv">Siikais</span>' in html
    assert "kunta on suomenkielinen" in html
    assert "ruotsinkielinen nimi" not in page(client_in, "karvia").lower()
    # Other organisations' Swedish names are official ones.
    assert "<dt>Nimi ruotsiksi</dt>" in page(client_in, "satakunnan-hyvinvointialue")


def test_organisation_page_shows_contact_details_as_links(client_in):
    organisation = OrganisationFactory(
        slug="yhteystiedot",
        address="Esimerkkikatu 1\n28100 Pori",
        phone="02 123 4567",
        email="kirjaamo@example.fi",
        website="https://example.fi",
    )
    html = page(client_in, organisation.slug)
    assert "<h2>Yhteystiedot</h2>" in html
    assert "Esimerkkikatu 1<br>28100 Pori" in html
    assert '<a href="tel:+35821234567">02 123 4567</a>' in html
    assert '<a href="mailto:kirjaamo@example.fi">kirjaamo@example.fi</a>' in html
    assert '<a href="https://example.fi">https://example.fi</a>' in html
    website = page(client_in, "satakunnan-hyvinvointialue")
    assert '<a href="https://satakunnanhyvinvointialue.fi">' in website


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
    # The page, its memberships, members, services, area, counties, owners, owned
    # organisations, predecessors, contacts, preparedness, projects: a fixed number.
    with django_assert_max_num_queries(18):
        response = client_in.get(authority.get_absolute_url())
    assert len(response.context["organisation"].member_links.all()) == n
