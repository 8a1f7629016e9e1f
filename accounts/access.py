"""Who may touch what: an author reaches only their own stories."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from stories.models import Story

author_login_required = login_required(login_url="account_request_login_code")


def own_story_or_404(request: HttpRequest, story_id: int) -> Story:
    """The signed-in person's story, or 404: another person's id reveals nothing."""
    from accounts.services import person_stories

    return get_object_or_404(
        person_stories(request.user).select_related("treatment"), pk=story_id
    )
