import datetime
import re

from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from discussion.forms import RENDERED_SALT


def rendered_seconds_ago(seconds: float) -> str:
    moment = timezone.now() - datetime.timedelta(seconds=seconds)
    return signing.dumps(moment.timestamp(), salt=RENDERED_SALT)


def comment_data(**overrides) -> dict:
    data = {
        "name": "Jo",
        "email": "jo@example.org",
        "body": "Did the fatigue come back after the first year?",
        "website": "",
        "rendered_at": rendered_seconds_ago(60),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def write_url(story) -> str:
    return reverse("discussion:write", args=["story", story.pk])


def confirm_from_outbox(client: Client) -> None:
    """Open the newest comment-confirmation link and press its button, in this browser."""
    body = mail.outbox[-1].body
    path = re.search(r"http://[^/]+(/comments/confirm/[^\s]+/)", body).group(1)
    client.post(path)
