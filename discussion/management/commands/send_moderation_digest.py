from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db.models import Q

from discussion.models import Comment, CommentReport
from followups.models import FollowUp
from hindsight.lib.emails import send_templated
from stories.models import Story, StoryRevision


class Command(BaseCommand):
    help = ("Email each moderator a short summary of what waits for them (stories, edits, "
            "follow-ups, comments, reports). Run it daily; nothing is sent when nothing waits.")

    def handle(self, *args, **options):
        waiting = {
            "stories": Story.objects.awaiting_review().count(),
            "edits": StoryRevision.objects.filter(status=StoryRevision.Status.PENDING).count(),
            "followups": FollowUp.objects.filter(status=FollowUp.Status.PENDING).count(),
            "comments": Comment.objects.filter(status=Comment.Status.PENDING).count(),
            "reports": CommentReport.objects.filter(resolved=False).count(),
        }
        if not any(waiting.values()):
            self.stdout.write("Nothing waits for moderators.")
            return
        moderators = get_user_model().objects.filter(is_active=True).filter(
            Q(is_superuser=True) | Q(groups__permissions__codename="change_story")
            | Q(user_permissions__codename="change_story")
        ).distinct()
        for moderator in moderators:
            if moderator.email:
                send_templated("moderation-digest", moderator.email, {
                    "waiting": waiting, "queue_url": settings.SITE_URL + "/moderation/",
                })
        self.stdout.write(f"Digest sent to {len(moderators)} moderator(s).")
