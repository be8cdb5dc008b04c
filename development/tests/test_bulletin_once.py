"""A bulletin is sent once even when two staff members press Send at the same moment
(issue 19, part 5): sending locks the bulletin, so the second finds it sent."""

import threading

import pytest
from django.db import connection
from mailer.models import Message

from common.exceptions import WorkflowError
from development import bulletin as services
from development import policies
from development.factories import BulletinFactory, SubscriberFactory
from projects.factories import NewsItemFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_sends_queue_the_bulletin_once(planner, coordinator, monkeypatch):
    SubscriberFactory.create_batch(3)
    bulletin = BulletinFactory(news_items=[NewsItemFactory()])
    # Both sends pass the policy before either reaches the bulletin's row.
    barrier = threading.Barrier(2, timeout=20)
    allowed = policies.can_send_bulletin

    def allowed_then_wait(user):
        answer = allowed(user)
        barrier.wait()
        return answer

    monkeypatch.setattr(policies, "can_send_bulletin", allowed_then_wait)
    queued, refused, errors = [], [], []

    def send(user):
        try:
            queued.append(services.send(bulletin, by=user))
        except WorkflowError as error:
            refused.append(error.message)
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(user,)) for user in (planner, coordinator)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert queued == [3]
    assert len(refused) == 1
    assert Message.objects.count() == 3
    bulletin.refresh_from_db()
    assert bulletin.recipient_count == 3
