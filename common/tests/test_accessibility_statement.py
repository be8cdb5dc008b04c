"""The accessibility statement has what Act 306/2019 16 § asks of one (issue 16, part 8)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_statement_gives_status_shortcomings_feedback_and_supervisor(client, settings):
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = "palaute@example.fi"
    page = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    for heading in (
        "Saavutettavuuden tila",
        "Sisällöt, jotka eivät ole saavutettavia",
        "Miten seloste on laadittu",
        "Valvontaviranomainen",
    ):
        assert f"<h2>{heading}</h2>" in page
    assert "täyttää WCAG 2.1 -tason AA saavutettavuusvaatimukset osittain" in page
    assert 'href="mailto:palaute@example.fi"' in page
    assert "Traficom" in page and "saavutettavuusvaatimukset.fi" in page
