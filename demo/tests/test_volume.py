"""`make bench` seeds its volume with demo.volume: a small run here keeps it working as the
models and their constraints change (it had named the claims' history triggers by the
app that owned them before issue 9, and failed before measuring anything)."""

import pytest
from django.db import connection

from demo import volume
from fees.models import FeeClaim
from guardianship.models import GuardianshipRequest
from support.factories import TrainingEventFactory

pytestmark = pytest.mark.django_db


def test_the_benchmark_volume_seeds_within_every_constraint(coordinator):
    # The benchmark seeds after seed_demo, whose coordinator decides the seeded steps.
    counts = volume.seed(60, 12)
    assert counts["requests"] == GuardianshipRequest.objects.count() == 60
    assert counts["claims"] == FeeClaim.objects.count() > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tables_changed_since_their_statistics_are_analyzed_before_measuring():
    # The machines' PostgreSQL runs without autovacuum: the benchmark refreshes what it
    # would have, or the planner reads freshly seeded tables as empty.
    TrainingEventFactory.create_batch(80)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
    assert "public.guardianship_trainingevent" in volume.analyze_stale()
    assert "public.guardianship_trainingevent" not in volume.analyze_stale()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = 'guardianship_trainingevent'"
        )
        assert cursor.fetchone()[0] == 80
