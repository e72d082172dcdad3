"""Celery tasks stay thin: ids or names in, fetch the rows, call the domain function."""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from . import timers
from .models import Invitation


@shared_task
def tick() -> None:
    """Beat calls this every minute: one sweep per registered timer, each its own task."""
    for timer in timers.registered():
        sweep_timer.delay(timer.name)


@shared_task
def sweep_timer(name: str) -> int:
    # No retries: whatever is still due is claimed again by the next tick.
    return timers.sweep(timers.get(name), timezone.now())


@shared_task(
    autoretry_for=(SMTPException, OSError),
    max_retries=5,
    retry_backoff=30,
    retry_jitter=True,
)
def send_invitation_email(invitation_id: int, token: str) -> None:
    from .services import invitation_email_send

    invitation = (
        Invitation.objects.pending().select_related("alliance", "partner").filter(pk=invitation_id)
    ).first()
    if invitation is not None:  # revoked or expired meanwhile: nothing to send
        invitation_email_send(invitation=invitation, token=token)
