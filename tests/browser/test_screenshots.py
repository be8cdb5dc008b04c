"""Full-page screenshots of the request page, the queue and the guardian's proposal at
360 px and 1280 px (issue 16: the "before" and "after" pictures). Skipped unless
SCREENSHOTS=1; the pictures go into SCREENSHOTS_DIR (default artifacts/issue16/).

    SCREENSHOTS=1 SCREENSHOTS_DIR=artifacts/issue16/after pytest tests/browser/test_screenshots.py
"""

import datetime
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import make_user
from demo.scenario import create_demo_requests
from guardianship.enums import AssignmentStatus, State
from guardianship.models import Assignment, Guardian, GuardianshipRequest
from tests.browser.conftest import ARTIFACTS, BROWSER, DESKTOP, MOBILE

pytestmark = [
    *BROWSER,
    pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="SCREENSHOTS=1 takes them"),
]


def test_screenshots(open_browser, sw_pori, sw_rauma, coordinator):
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or ARTIFACTS / "issue16")
    folder.mkdir(parents=True, exist_ok=True)
    guardian_user = make_user("guardian", username="guardian")
    create_demo_requests(coordinator, {"pori": sw_pori, "rauma": sw_rauma})
    eeva = Guardian.objects.get(user=guardian_user)
    today = timezone.localdate()
    # The proposal Eeva answers: the urgent one, with a hearing date, a deadline and a
    # wish for the guardian's background.
    proposed = GuardianshipRequest.objects.get(state=State.PROPOSED)
    GuardianshipRequest.objects.filter(pk=proposed.pk).update(
        hearing_date=today + datetime.timedelta(days=21),
        deadline=today + datetime.timedelta(days=7),
        wants_social_work_background=True,
    )
    Assignment.objects.filter(request=proposed, status=AssignmentStatus.PROPOSED).update(
        guardian=eeva
    )
    appointed = GuardianshipRequest.objects.filter(
        state=State.APPOINTED, unit__name="Lastensuojelu, Pori"
    ).get()
    ended = GuardianshipRequest.objects.get(state=State.ENDED)
    shots = [
        ("request", coordinator, appointed.get_absolute_url()),
        ("request-ended", coordinator, ended.get_absolute_url()),
        ("request-social-worker", sw_pori, appointed.get_absolute_url()),
        ("queue", coordinator, reverse("guardianship:request_list")),
        ("proposal", guardian_user, reverse("guardianship:my_assignments")),
        ("proposal-request", guardian_user, proposed.get_absolute_url()),
    ]
    for name, user, url in shots:
        for width in (MOBILE, DESKTOP):
            person = open_browser(user, width=width)
            response = person.page.goto(url)
            assert response.status == 200, url
            person.page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
            person.context.close()
