"""A demo researcher, for demo sites: called by `manage.py load_demo`."""

import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from research.models import RESEARCHERS_GROUP

RESEARCHER_USERNAME = "researcher"
RESEARCHER_EMAIL = "researcher@example.invalid"
PASSWORD_FILE = "demo-researcher-password.txt"
SECRET_FILE = "demo-researcher-totp-secret.txt"


def load_demo_researcher() -> str:
    """Make the demo researcher (once: running it again changes nothing) and return a line
    saying how to sign in. Like the demo moderator, its password and authenticator secret are
    kept in VAR_DIR, readable by the owner only."""
    if settings.PRODUCTION:
        raise RuntimeError("Demo accounts are not for a production site.")
    group, _ = Group.objects.get_or_create(name=RESEARCHERS_GROUP)
    group.permissions.add(Permission.objects.get(
        content_type__app_label="research", codename="export_deidentified"
    ))
    User = get_user_model()
    user = User.objects.filter(username=RESEARCHER_USERNAME).first()
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(RESEARCHER_USERNAME, RESEARCHER_EMAIL, password)
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        for name, value in ((PASSWORD_FILE, password), (SECRET_FILE, generate_totp_secret())):
            path = settings.VAR_DIR / name
            path.write_text(value + "\n")
            path.chmod(0o600)
        TOTP.activate(user, (settings.VAR_DIR / SECRET_FILE).read_text().strip())
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    user.groups.add(group)
    password_file = settings.VAR_DIR / PASSWORD_FILE
    return (
        f"Demo researcher: sign in at {settings.SITE_URL}/research/ as '{RESEARCHER_EMAIL}' "
        f"with the password in {password_file}, then the code shown by "
        "`python manage.py demo_researcher_code`."
    )
