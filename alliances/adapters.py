from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: people join an alliance through a manager's invitation."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
