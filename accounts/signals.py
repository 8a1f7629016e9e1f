from allauth.account.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def confirm_stories_from_this_address(sender, request, user, **kwargs) -> None:
    """Signing in by a code sent to an address proves it as well as a confirmation link does:
    stories shared from it and not yet confirmed go on to the moderators."""
    from accounts.services import person_stories
    from stories.models import Story
    from stories.services import story_confirm_email

    for story in person_stories(user).filter(status=Story.Status.UNCONFIRMED):
        story_confirm_email(story=story)
