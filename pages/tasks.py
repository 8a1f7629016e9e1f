"""The contact form's email, sent by the worker. The task carries the message's id, not its text."""

from django.conf import settings
from django_tasks import task

from hindsight.lib.emails import send_templated


@task()
def send_contact_message(message_id: int) -> None:
    from pages.models import ContactMessage
    from pages.services import contact_prune

    message = ContactMessage.objects.filter(pk=message_id).first()
    if message is None:
        return
    send_templated("contact-message", settings.CONTACT_EMAIL, {"contact": message},
                   headers={"Reply-To": message.email})
    message.delete()
    # Messages whose email failed are not kept forever, even where no one runs the command.
    contact_prune()
