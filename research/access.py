"""Who may download research exports: signed in with a password and an authenticator code in
this session (accounts.middleware checks the same for /research/), and holding the permission
an admin grants through the Researchers group."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.middleware import signed_in_with_password_and_second_factor
from research.models import EXPORT_PERMISSION


def is_researcher(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(EXPORT_PERMISSION))


def researcher_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anyone not signed in goes to the password sign-in; a signed-in person without the
    permission gets a 403 page, never data."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("account_login"))
        if not is_researcher(request.user):
            return render(request, "research/forbidden.html", status=403)
        if not signed_in_with_password_and_second_factor(request):
            # The middleware normally catches this first; checked again here in case it is
            # ever left out of MIDDLEWARE.
            return redirect_to_login(request.get_full_path(), reverse("account_login"))
        return view(request, *args, **kwargs)

    return wrapper
