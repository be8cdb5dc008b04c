"""`make bench` seeds its volume with demo.volume: a small run here keeps it working as the
models and their constraints change (it had named the claims' history triggers by the
app that owned them before issue 9, and failed before measuring anything)."""

import pytest

from demo import volume
from fees.models import FeeClaim
from guardianship.models import GuardianshipRequest

pytestmark = pytest.mark.django_db


def test_the_benchmark_volume_seeds_within_every_constraint(coordinator):
    # The benchmark seeds after seed_demo, whose coordinator decides the seeded steps.
    counts = volume.seed(60, 12)
    assert counts["requests"] == GuardianshipRequest.objects.count() == 60
    assert counts["claims"] == FeeClaim.objects.count() > 0
