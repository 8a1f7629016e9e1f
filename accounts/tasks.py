from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_prepared_email(*, to: list[str], subject: str, text: str, html: str = "") -> None:
    """Send a message rendered in the request (sign-in codes). Its row holds an address and a
    short-lived code, so finished rows are pruned and erasure removes any left."""
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
