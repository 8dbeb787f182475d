from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _


class CookieOrDefaultLanguageMiddleware:
    """Vietnamese unless the user chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; officers' browsers
    are often set to English, and the portal must still open in Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RejectNulInQueryStringMiddleware:
    """A query string with a NUL character answers 400.

    No link or form of the portal makes one, and PostgreSQL refuses NUL in any text it is
    given: a search or filter carrying one would end in a 500 on whichever page reads it. One
    check here covers every page and the admin's changelists.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in value for key, value in _query_items(request)):
            return HttpResponseBadRequest(
                _("The address of this page contains characters that are not allowed."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _query_items(request):
    for key, values in request.GET.lists():
        for value in values:
            yield key, value
