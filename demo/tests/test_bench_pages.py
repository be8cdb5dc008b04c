"""`make bench` covers every main page of every role (issue 18, part 4): a URL of the
portal is either measured (demo.bench_pages.PAGES) or exempt with a reason, and every
measured page opens as its role on the benchmark's kind of data."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from demo import bench_pages, regional_volume, volume
from tests.url_walk import walk


def test_every_url_is_benchmarked_or_exempt_with_a_reason():
    measured = {page.url for page in bench_pages.PAGES}
    missing = [
        name for name, _ in walk() if name not in measured and not bench_pages.exemption(name)
    ]
    assert missing == [], "Add these to demo/bench_pages.py PAGES, or to EXEMPT with a reason"
    assert all(reason.strip() for reason in bench_pages.EXEMPT.values())
    assert not measured & set(bench_pages.EXEMPT), "a page both measured and exempt"


def test_page_names_are_unique_and_roles_known():
    names = [page.name for page in bench_pages.PAGES]
    assert len(names) == len(set(names))
    assert {page.role for page in bench_pages.PAGES} <= {"anonymous", *bench_pages.ROLES}


@pytest.mark.django_db
def test_every_benchmarked_page_opens_as_its_role_on_seeded_data(settings):
    settings.REQUIRE_2FA = False
    call_command("seed_demo", force=True, requests=0, verbosity=0)
    volume.seed(40, 8)
    regional_volume.seed(40)
    bench_pages.bench_users()
    users = get_user_model().objects.in_bulk(bench_pages.ROLES.values(), field_name="username")
    failed = []
    for page in bench_pages.PAGES:
        client = Client()
        if page.role != "anonymous":
            client.force_login(users[bench_pages.ROLES[page.role]])
        try:
            path = page.path()
        except LookupError as error:
            failed.append(f"{page.name}: {error}")
            continue
        status = client.get(path).status_code
        if status != 200:
            failed.append(f"{page.name} ({page.role}) {path}: {status}")
    assert failed == []
