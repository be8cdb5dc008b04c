"""Reads of the statistics may go to a replica; everything else reads the primary."""

from unittest import mock

from django.conf import settings

from common import routers


@mock.patch.dict(settings.DATABASES, {"replica": {}})
def test_reads_go_to_the_replica_only_inside_the_statistics():
    router = routers.ReplicaRouter()
    assert router.db_for_read(None) == "default"
    with routers.reading_from_replica():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) == "default"


def test_without_a_replica_everything_reads_the_primary():
    with routers.reading_from_replica():
        assert routers.read_alias() == "default"
