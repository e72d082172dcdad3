from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class PersonLocaleMiddleware:
    """Speak the signed-in person's language and show times in their own time zone.

    It runs after authentication. Django's LocaleMiddleware, earlier, has already chosen
    the language from the language cookie or the browser (Accept-Language); a person who
    picked a language in their profile gets that one instead. Storage stays in UTC.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            timezone.deactivate()
            return self.get_response(request)
        # Restored afterwards: the thread serves other people next.
        with timezone.override(user.time_zone):
            if not user.language:
                return self.get_response(request)
            with translation.override(user.language):
                request.LANGUAGE_CODE = translation.get_language()
                response = self.get_response(request)
                response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
                return response
