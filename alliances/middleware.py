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
        if user is not None and user.is_authenticated:
            timezone.activate(user.time_zone)
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
        else:
            timezone.deactivate()
        return self.get_response(request)
