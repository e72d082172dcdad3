"""Celery tasks stay thin: ids in, fetch the rows, call the domain function."""

from smtplib import SMTPException

from celery import shared_task

from .models import Invitation


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
