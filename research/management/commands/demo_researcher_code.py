import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from research.demo import SECRET_FILE


class Command(BaseCommand):
    help = "Print the demo researcher's current authenticator code (demo sites only)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("There is no demo researcher on a production site.")
        secret_file = settings.VAR_DIR / SECRET_FILE
        if not secret_file.exists():
            raise CommandError("No demo researcher here: run `manage.py load_demo` first.")
        secret = secret_file.read_text().strip()
        seconds_left = 30 - int(time.time()) % 30
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        self.stdout.write(f"{code}  (valid for {seconds_left} more seconds)")
