"""The page's language: Finnish unless the user chose another (issue 16, part 7).

Django's LocaleMiddleware lets the browser's Accept-Language header pick the language, so
an English-language browser got the portal in English, though the portal is Finnish
first and its users are Finnish officials whose browsers are often in English. Here the
language is the user's own choice, made with the language button (Django's
`set_language` view, which keeps it in the language cookie), or else `LANGUAGE_CODE`
(Finnish); the header is never read.
"""

from django.conf import settings
from django.utils import translation


def chosen_language(request):
    """The language the user chose with the language button, if it is one of ours, else
    the portal's own (LANGUAGE_CODE)."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code and code in dict(settings.LANGUAGES):
        return code
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """In place of django.middleware.locale.LocaleMiddleware: the chosen language or
    Finnish, whatever the browser asks for. The answer does not vary by Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
