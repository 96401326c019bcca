from django.core import mail
from django.test import override_settings

from notifications.models import OutboxMessage, OutboxStatus
from notifications.services import deliver, enqueue_email
from notifications.tasks import deliver_pending_messages


def test_delivering_sends_a_link_only(db):
    message = enqueue_email(template="invitation", recipient="a@example.org", path="/invitation/abc/")
    assert deliver(message_id=message.pk) is True
    sent = mail.outbox[0]
    assert sent.to == ["a@example.org"]
    assert sent.subject == "Invitation sur la plateforme MNIOP"
    assert "http://127.0.0.1:8000/invitation/abc/" in sent.body
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1


def test_a_message_is_delivered_only_once(db):
    message = enqueue_email(template="invitation", recipient="a@example.org", path="/x/")
    deliver(message_id=message.pk)
    assert deliver(message_id=message.pk) is False
    assert len(mail.outbox) == 1


def test_beat_job_delivers_what_is_pending(db):
    for n in range(3):
        enqueue_email(template="invitation", recipient=f"p{n}@example.org", path="/x/")
    assert deliver_pending_messages() == 3
    assert deliver_pending_messages() == 0
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 3


@override_settings(MAILERS={"default": {"BACKEND": "tests.notifications.failing_backend.FailingBackend"}})
def test_smtp_failure_leaves_the_message_pending_for_retry(db):
    message = enqueue_email(template="invitation", recipient="a@example.org", path="/x/")
    assert deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.last_error == "ConnectionRefusedError"


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_enqueue_succeeds_when_the_broker_is_down(db, django_capture_on_commit_callbacks):
    from mniop.celery import app

    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        with django_capture_on_commit_callbacks(execute=True):
            message = enqueue_email(template="invitation", recipient="a@example.org", path="/x/")
    finally:
        app.conf.broker_url = None
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
