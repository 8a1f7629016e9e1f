"""Cache headers: everything is private unless a view says it is public content."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a GET page of published content as shareable by a front cache.

    The page must not read the session or render a CSRF token: a cached copy is served to
    everyone. Signed-in visitors still get a private copy, since their page may differ.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.headers["X-Public-Page"] = "1"
        return response

    return wrapper


class DefaultNoStoreMiddleware:
    """Send `no-store` unless a view marked its response as a public page.

    Sitting outside the session middleware, it sees the final response: if anything set a
    cookie on it, the page is personal after all and is never shared.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        is_public = response.get("X-Public-Page") == "1"
        if is_public:
            del response["X-Public-Page"]
        if is_public and not response.cookies and not request.COOKIES.get(
            settings.SESSION_COOKIE_NAME
        ):
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        elif "Cache-Control" not in response.headers or is_public:
            response.headers["Cache-Control"] = "no-store"
        return response
