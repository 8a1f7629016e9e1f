from collections.abc import Callable

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


def signed_in_with_password_and_second_factor(request: HttpRequest) -> bool:
    methods = {
        record.get("method")
        for record in request.session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    }
    return {"password", "mfa"} <= methods


class ModeratorSecondFactorMiddleware:
    """Moderation pages need a password and an authenticator code, both in this session.

    Staff without an authenticator are sent to set one up; staff who signed in some other way
    (a one-time code, or a password alone) are signed out and asked to sign in properly.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        moderation = request.path.startswith(reverse("admin:index"))
        # Research exports likewise, for researchers; their public data dictionary is not.
        research = request.path.startswith(reverse("research:index")) and not (
            request.path.startswith(reverse("research:dictionary"))
        )
        if (moderation or research) and user.is_authenticated and (
            user.is_staff if moderation else user.has_perm("research.export_deidentified")
        ):
            if not is_mfa_enabled(user):
                messages.info(request, _(
                    "Moderators need an authenticator app. Set it up here, then sign in "
                    "again with your password and a code from the app."
                ) if moderation else _(
                    "Research exports need an authenticator app. Set it up here, then sign in "
                    "again with your password and a code from the app."
                ))
                return redirect("mfa_activate_totp")
            if not signed_in_with_password_and_second_factor(request):
                logout(request)
                messages.info(request, _(
                    "Moderation needs your password and a code from your authenticator app."
                ) if moderation else _(
                    "Research exports need your password and a code from your authenticator "
                    "app."
                ))
                login = reverse("account_login") + "?" + urlencode({"next": request.path})
                return redirect(login)
        return self.get_response(request)
