import pytest
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone, translation

from accounts.factories import make_user
from accounts.roles import Role
from common.outbox import Outbox
from municipalities import choices


@pytest.fixture(autouse=True)
def _fast_and_finnish(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Most tests log in with force_login; the two-factor tests switch this back on.
    settings.REQUIRE_2FA = False
    # Tests compare exact statistics after changing the data.
    settings.STATS_CACHE_SECONDS = 0
    # E-mail goes through the outbox as in production; the worker's send hands it to
    # Django's in-memory backend (`mail.outbox`): see the `sent_mail` fixture.
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _choices_of_its_own():
    """Every test reads the choice lists of its own data: a process keeps them in memory
    (municipalities.choices), and a test's data is rolled back, not deleted."""
    choices.store.clear()
    yield
    choices.store.clear()


@pytest.fixture(autouse=True)
def _cache_of_its_own():
    """Every test starts with an empty cache, as its data is fresh: a page kept there by
    an earlier test (the calendar feed, keyed by a generation its events' saves bump)
    would otherwise outlive that test's rolled-back rows. Only the per-process cache:
    a shared one (Redis) is never flushed under the other workers."""
    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _language_of_its_own():
    """Every test starts in Finnish. A test client's request in Swedish activates Swedish
    in the test's own thread, and it stayed active for the next test of that worker."""
    translation.activate("fi")
    yield
    translation.deactivate()


@pytest.fixture
def sent_mail(mailoutbox):
    """`sent_mail()` runs the worker's send of the outbox, as `manage.py worker` does every
    few seconds, and returns the e-mails sent so far (`mail.outbox`). What is only queued
    (in a transaction not yet committed, say) is not there until this is called."""

    def send():
        Outbox().send(timezone.now())
        return mail.outbox

    return send


@pytest.fixture
def coordinator(db):
    return make_user(Role.COORDINATOR, ["pikassos"], username="alice-coordinator")


@pytest.fixture
def planner(db):
    return make_user(Role.PLANNER, ["pikassos"], username="paula-planner")


COUNTY = "satakunnan-hyvinvointialue"


@pytest.fixture
def sw_pori(db):
    """A social worker of the county's Pori child-protection team."""
    return make_user(
        Role.SOCIAL_WORKER, [COUNTY], units=["Lastensuojelu, Pori"], username="bob-pori"
    )


@pytest.fixture
def sw_rauma(db):
    """A social worker of the same county's Rauma team: sees nothing of Pori's."""
    return make_user(
        Role.SOCIAL_WORKER, [COUNTY], units=["Lastensuojelu, Rauma"], username="charlie-rauma"
    )


@pytest.fixture
def team_leader(db):
    """The county's child-protection team leader: the subtree of "Lastensuojelu"."""
    return make_user(Role.TEAM_LEADER, [COUNTY], units=["Lastensuojelu"], username="lea-leader")


@pytest.fixture
def guardian_user(db):
    return make_user(Role.GUARDIAN, username="gina-guardian")


@pytest.fixture
def superuser(db):
    return make_user(username="root-admin", is_staff=True, is_superuser=True)


@pytest.fixture
def payer(db):
    """An official of the county, which pays the requests GuardianshipRequestFactory makes."""
    return make_user(Role.PAYER, ["satakunnan-hyvinvointialue"], username="pia-payer")
