"""Chinese first: the UI is zh-hans unless the visitor chose another language (cookie or session);
and the URL length limit with its 414 page.

Django's LocaleMiddleware would follow the browser's Accept-Language; a Chinese government site
shows Chinese to everyone by default and offers English through the language switcher.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from . import errors


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class URLLengthMiddleware:
    """The 414 page for URLs longer than URL_MAX_LENGTH, except on views that cap their own input.

    granian (`gongkai serve`) lets URLs up to 64 KiB through, so an over-long URL gets
    this Chinese page, and an over-long search gets the search page with a message.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict) -> HttpResponse | None:  # fmt: skip
        view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)  # Django, DRF
        if getattr(view_func, "long_query_allowed", False) or getattr(
            view_class, "long_query_allowed", False
        ):
            return None
        if len(request.get_full_path()) > settings.URL_MAX_LENGTH:
            return errors.uri_too_long(request)
        return None
