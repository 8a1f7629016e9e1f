"""Demo sites: let the demo moderator read the audit log. Called by `manage.py load_demo`."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

AUDITORS_GROUP = "Auditors"
DEMO_MODERATOR_USERNAME = "moderator"  # made by load_demo


def load_demo_auditors() -> str:
    """Make the Auditors group (may read the audit log, nothing else) and put the demo moderator
    in it. Running it again changes nothing. Returns a line saying where the log is."""
    if settings.PRODUCTION:
        raise RuntimeError("Demo accounts are not for a production site.")
    group, _ = Group.objects.get_or_create(name=AUDITORS_GROUP)
    group.permissions.add(Permission.objects.get(content_type__app_label="audit",
                                                 codename="view_auditevent"))
    moderator = get_user_model().objects.filter(username=DEMO_MODERATOR_USERNAME).first()
    if moderator is None:
        return "Audit log: no demo moderator yet, so nobody was added to the Auditors group."
    moderator.groups.add(group)
    return (f"Audit log: the demo moderator can read it at {settings.SITE_URL}/moderation/"
            "audit/auditevent/ (sign-ins, failures, lock-outs, decisions, exports, erasures).")
