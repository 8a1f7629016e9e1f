from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from accounts.tasks import send_prepared_email
from audit.signin import AuditedSignInAdapterMixin


class AccountAdapter(AuditedSignInAdapterMixin, DefaultAccountAdapter):
    """Accounts are made when someone confirms the email of a story, never by a sign-up form,
    and sign-in emails leave the request through the task queue like every other email."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = context.get("request")
        ctx = {
            "email": email,
            "request": request,
            # allauth's templates greet with the site's name and domain.
            "current_site": SimpleNamespace(name=settings.SITE_NAME,
                                            domain=urlsplit(settings.SITE_URL).netloc),
            "SITE_NAME": settings.SITE_NAME,
            **context,
        }
        message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (content for content, mimetype in getattr(message, "alternatives", [])
             if mimetype == "text/html"),
            "",
        )
        send_prepared_email.enqueue(
            to=list(message.to), subject=message.subject, text=message.body, html=html
        )
