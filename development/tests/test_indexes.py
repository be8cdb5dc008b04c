"""The desk's question queue is read through an index in its order, so its first page
costs the same at 50 or 50 000 questions (EXPLAIN with sequential scans and sorts off,
so the small test data cannot hide a missing index; as guardianship/tests/test_indexes.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from development.factories import QuestionFactory
from development.models import QuestionStatus
from tests.plans import explain

pytestmark = pytest.mark.django_db


def test_the_queues_first_page_is_read_in_index_order(client, planner):
    QuestionFactory.create_batch(3)
    QuestionFactory(status=QuestionStatus.CLOSED, closed_at="2026-01-02T10:00:00+02:00")
    client.force_login(planner)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("development:queue"))
    assert response.status_code == 200
    [sql] = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "development_question"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    explained = explain(sql, analyze=["development_question"], off=["seqscan", "sort"])
    assert "devquestion_open_idx" in explained
    assert "Sort" not in explained
