import pytest


@pytest.fixture
def planner_client(client, planner):
    client.force_login(planner)
    return client
