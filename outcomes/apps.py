from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self) -> None:
        from followups.models import FollowUp
        from outcomes import signals

        # Any sender: the moderation queue saves stories through a proxy model.
        post_save.connect(signals.story_saved, dispatch_uid="outcomes-story-saved")
        post_save.connect(signals.followup_saved, sender=FollowUp,
                          dispatch_uid="outcomes-followup-saved")
        post_delete.connect(signals.followup_deleted, sender=FollowUp,
                            dispatch_uid="outcomes-followup-deleted")
