import datetime

from django.db import transaction
from django.utils import timezone

from pages.content import default_pages
from pages.models import CONTACT_RETENTION_DAYS, ContactMessage, SitePage


def site_pages_ensure() -> list[SitePage]:
    """Create any fixed page that does not exist yet, with its default text; pages that exist
    are left as moderators wrote them. Safe to run any number of times (the demo loader does)."""
    pages = []
    for fields in default_pages():
        slug = fields.pop("slug")
        page = SitePage.objects.filter(slug=slug).first()
        if page is None:
            page = SitePage(slug=slug, **fields)
            page.full_clean()
            page.save()
        pages.append(page)
    return pages


@transaction.atomic
def contact_submit(*, name: str, email: str, subject: str, message: str) -> ContactMessage:
    """Keep a message and queue its email. The task carries only the id; the row is deleted once
    the email has gone. With the database task backend the task row commits with the message,
    or neither does."""
    from pages.tasks import send_contact_message

    contact = ContactMessage(name=name, email=email, subject=subject, message=message)
    contact.full_clean()
    contact.save()
    send_contact_message.enqueue(contact.pk)
    return contact


def contact_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete messages older than the retention period: their email never left (the worker
    failed, or was not running). Returns how many were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=CONTACT_RETENTION_DAYS)
    deleted, _ = ContactMessage.objects.filter(received_at__lt=cutoff).delete()
    return deleted
