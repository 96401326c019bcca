"""Purges planifiées des comptes : invitations expirées depuis longtemps, clés d'idempotence de l'API."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import IdempotencyRecord, Invitation
from accounts.services import invite_member
from accounts.tasks import purge_expired_invitations, purge_idempotency_records
from mniop.roles import Role


def invitation(world, email, *, expired_days_ago=None, accepted=False):
    created = invite_member(
        organisation=world.association, email=email, role=Role.ASSOCIATION_AGENT, by=world.acting("association_admin")
    )
    fields = {}
    if expired_days_ago is not None:
        fields["expires_at"] = timezone.now() - timedelta(days=expired_days_ago)
    if accepted:
        fields["accepted_at"] = timezone.now() - timedelta(days=60)
    Invitation.objects.filter(pk=created.pk).update(**fields)
    return created


def test_purge_deletes_only_invitations_expired_beyond_the_retention(world):
    old = invitation(world, "ancienne@example.org", expired_days_ago=31)
    recent = invitation(world, "recente@example.org", expired_days_ago=2)
    pending = invitation(world, "en-cours@example.org")
    accepted = invitation(world, "acceptee@example.org", expired_days_ago=50, accepted=True)
    assert purge_expired_invitations() == 1
    assert not Invitation.objects.filter(pk=old.pk).exists()
    assert set(Invitation.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk, accepted.pk}


def test_purge_deletes_idempotency_records_older_than_24_hours(world):
    old = IdempotencyRecord.objects.create(organisation=world.association, key="ancienne", request_fingerprint="a")
    recent = IdempotencyRecord.objects.create(organisation=world.association, key="recente", request_fingerprint="b")
    IdempotencyRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    IdempotencyRecord.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(hours=23))
    assert purge_idempotency_records() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["recente"]
