"""Background work for stories. Tasks carry ids, never addresses or text, so the task queue holds
no personal data; each task loads what it needs and does nothing if the story has gone."""

from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django_tasks import task

from hindsight.lib.emails import send_templated
from moderation.models import Action
from moderation.services import decisions_for
from stories.models import Story

CONFIRM_SALT = "stories.confirm-email"


def email_check(email: str) -> str:
    """A short keyed digest of the address: the link stops working if the address changes,
    without the address itself travelling in the link (signed tokens are readable)."""
    return salted_hmac(CONFIRM_SALT, email.lower()).hexdigest()[:16]


def confirmation_token(story: Story) -> str:
    return signing.dumps({"story": story.pk, "check": email_check(story.email)}, salt=CONFIRM_SALT)


@task()
def send_story_email(story_id: int, kind: str) -> None:
    story = Story.objects.filter(pk=story_id).select_related("treatment").first()
    if story is None:
        return
    context: dict = {"story": story}
    if kind == "confirm":
        context["confirm_path"] = reverse("stories:confirm", args=[confirmation_token(story)])
    elif kind == "rejected":
        context["decision"] = decisions_for(story).filter(action=Action.REJECT).first()
    elif kind != "approved":
        raise ValueError(f"unknown story email {kind!r}")
    send_templated(f"story-{kind}", story.email, context)
