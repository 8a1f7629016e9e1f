import io
import random
import secrets
from itertools import islice

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from articles.content import ARTICLES, SERIES
from articles.models import Article, Series
from audit.demo import load_demo_auditors
from directory.demo import directory_demo_load
from followups.models import Baseline, FollowUp
from outcomes.models import OutcomesRelease
from outcomes.releases import release_outcomes
from outcomes.tallies import rebuild_moderation_tallies
from pages.services import site_pages_ensure
from research.demo import load_demo_researcher
from search.services import search_index_rebuild
from stories.demo.generator import (
    DEMO_PERSON_PREFIX,
    demo_followups,
    demo_statistics_only_people,
    demo_stories,
)
from stories.models import Story, StoryConsent
from treatments.content import CCSVI_EVIDENCE_ITEMS, CCSVI_VENOPLASTY
from treatments.models import Treatment

MODERATOR_USERNAME = "moderator"
MODERATOR_EMAIL = "moderator@example.invalid"
MODERATOR_PERMISSIONS = [
    ("stories", "story", ["view", "change"]),
    ("stories", "storyawaitingreview", ["view", "change"]),
    ("stories", "storyconsent", ["view"]),
    ("stories", "storyrevision", ["view", "change"]),
    ("stories", "storyreport", ["view", "change"]),
    ("followups", "followup", ["view", "change"]),
    ("discussion", "comment", ["view", "change"]),
    ("discussion", "commentreport", ["view", "change"]),
    ("discussion", "blockedterm", ["view", "add", "change", "delete"]),
    ("discussion", "closeddiscussion", ["view", "delete"]),
    ("moderation", "moderationdecision", ["view"]),
    ("treatments", "treatment", ["view", "change"]),
    ("treatments", "evidenceitem", ["view", "add", "change", "delete"]),
    ("articles", "article", ["view", "add", "change"]),
    ("articles", "series", ["view", "add", "change"]),
    ("pages", "sitepage", ["view", "change"]),
]
BATCH = 2000


class Command(BaseCommand):
    help = (
        "Create the demo treatment (CCSVI venoplasty), a moderator account and invented example "
        "stories, and invented statistics-only reports (counted on the outcomes page, never "
        "shown). With --stories N, add N more stories for benchmarks (e.g. 100000)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, default=36,
                            help="How many invented stories to create (default 36).")
        parser.add_argument("--statistics-only", type=int, default=300, metavar="N",
                            help="How many invented statistics-only reports to create: counted "
                                 "on the outcomes page, never shown (default 300).")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing if the database already has a treatment.")
        parser.add_argument("--seed", type=int, default=2009)

    def handle(self, *args, stories: int, statistics_only: int, if_empty: bool, seed: int,
               **options):
        if settings.PRODUCTION:
            raise CommandError("Demo content is not for a production site.")
        if if_empty and Treatment.objects.exists():
            self.stdout.write("The database already has content; demo content not loaded.")
            self._print_moderator()
            return
        treatment, _ = Treatment.objects.update_or_create(
            slug=CCSVI_VENOPLASTY["slug"], defaults=CCSVI_VENOPLASTY
        )
        treatment.set_evidence_items(CCSVI_EVIDENCE_ITEMS)
        self._moderator()
        auditors = load_demo_auditors()
        directory_demo_load()
        site_pages_ensure()
        self._create_articles()
        self._create_stories(treatment, stories, seed)
        self._add_waiting_story(treatment, seed)
        # After the published stories, so that their seeds (and so the stories) stay as before.
        self._create_statistics_only(treatment, statistics_only, seed)
        # Stories were bulk-created without signals: build the moderation tallies and the search
        # index for them now.
        rebuild_moderation_tallies()
        search_index_rebuild()
        call_command("optimize_database", stdout=io.StringIO())
        # The pages read released figures only; release what was just loaded (if enough of it
        # changed since a release before, as on any site).
        self.stdout.write(release_outcomes(OutcomesRelease.Trigger.DEMO).message)
        researcher = load_demo_researcher()
        self.stdout.write(self.style.SUCCESS(
            f"Demo content ready: {Story.objects.filter(is_demo=True).count()} invented stories "
            f"({Story.objects.filter(is_demo=True, consent_publish=False).count()} of them "
            "statistics-only reports, never shown)."
        ))
        self._print_moderator()
        self.stdout.write(researcher)
        self.stdout.write(auditors)

    def _create_stories(self, treatment: Treatment, count: int, seed: int) -> None:
        generated = demo_stories(treatment, count, seed=seed + Story.objects.count())
        rng = random.Random(seed)
        with tqdm(total=count, desc="Stories", unit="story", disable=count < BATCH) as bar:
            while batch := list(islice(generated, BATCH)):
                with transaction.atomic():
                    created = Story.objects.bulk_create(batch)
                    FollowUp.objects.bulk_create(
                        followup for story in created for followup in demo_followups(story, rng)
                    )
                    StoryConsent.objects.bulk_create(_consents(created))
                bar.update(len(batch))

    def _create_statistics_only(self, treatment: Treatment, count: int, seed: int) -> None:
        """Invented people who consented to statistics only, each with a plain account (no
        password; the address cannot receive mail) that holds their one or two stories."""
        User = get_user_model()
        numbers = [int(name.removeprefix(DEMO_PERSON_PREFIX)) for name in
                   User.objects.filter(username__startswith=DEMO_PERSON_PREFIX)
                   .values_list("username", flat=True)
                   if name.removeprefix(DEMO_PERSON_PREFIX).isdigit()]
        first = max(numbers, default=0) + 1
        people = demo_statistics_only_people(treatment, count, seed=seed + first - 1,
                                             first_number=first)
        with tqdm(total=count, desc="Statistics-only", unit="story",
                  disable=count < BATCH) as bar:
            while batch := list(islice(people, BATCH // 2)):
                with transaction.atomic():
                    users = []
                    for person in batch:
                        user = User(username=f"{DEMO_PERSON_PREFIX}{person.number}",
                                    email=person.email)
                        user.set_unusable_password()
                        users.append(user)
                    for person, user in zip(batch, User.objects.bulk_create(users), strict=True):
                        for story in person.stories:
                            story.author = user
                    created = Story.objects.bulk_create(
                        story for person in batch for story in person.stories
                    )
                    FollowUp.objects.bulk_create(f for person in batch for f in person.followups)
                    Baseline.objects.bulk_create(person.baseline for person in batch
                                                 if person.baseline is not None)
                    StoryConsent.objects.bulk_create(_consents(created))
                bar.update(len(created))

    def _create_articles(self) -> None:
        series, _ = Series.objects.update_or_create(slug=SERIES["slug"], defaults=SERIES)
        for article in ARTICLES:
            Article.objects.update_or_create(
                slug=article["slug"],
                defaults={**article, "series": series, "status": Article.Status.PUBLISHED},
            )

    def _add_waiting_story(self, treatment: Treatment, seed: int) -> None:
        """Two confirmed stories waiting for review, so the moderation queue has work."""
        for story in islice(demo_stories(treatment, 2, seed=seed + 7), 2):
            story.status = Story.Status.PENDING
            story.slug = None
            story.published_at = None
            story.save()

    def _moderator(self) -> None:
        group, _ = Group.objects.get_or_create(name="Moderators")
        for app_label, model, actions in MODERATOR_PERMISSIONS:
            for action in actions:
                group.permissions.add(Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                ))
        User = get_user_model()
        user = User.objects.filter(username=MODERATOR_USERNAME).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(
                MODERATOR_USERNAME, MODERATOR_EMAIL, password, is_staff=True
            )
            password_file = settings.VAR_DIR / "demo-moderator-password.txt"
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
            # Moderation needs a second factor; the demo moderator's authenticator secret is
            # kept beside the password so `manage.py demo_code` can show the current code.
            secret = generate_totp_secret()
            TOTP.activate(user, secret)
            secret_file = settings.VAR_DIR / "demo-moderator-totp-secret.txt"
            secret_file.write_text(secret + "\n")
            secret_file.chmod(0o600)
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        user.groups.add(group)

    def _print_moderator(self) -> None:
        password_file = settings.VAR_DIR / "demo-moderator-password.txt"
        if password_file.exists():
            self.stdout.write(
                f"Demo moderator: sign in at {settings.SITE_URL}/moderation/ as "
                f"'{MODERATOR_EMAIL}' with the password in {password_file} "
                f"({password_file.read_text().strip()}), then the code shown by "
                f"`python manage.py demo_code` (or add the secret in "
                f"{settings.VAR_DIR / 'demo-moderator-totp-secret.txt'} to an authenticator app)."
            )


def _consents(stories: list[Story]):
    """The consent records of bulk-created invented stories, as the form would have made them."""
    return (
        StoryConsent(story=story, purpose=purpose, granted=granted, version="demo",
                     text="Invented example.")
        for story in stories
        for purpose, granted in (("publish", story.consent_publish),
                                 ("statistics", story.consent_statistics))
    )
