"""Helpers shared by the tests of every app: personas and small builders of valid data."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from stories.models import Story
from treatments.content import CCSVI_VENOPLASTY
from treatments.models import Treatment


def make_treatment(**overrides) -> Treatment:
    fields = {**CCSVI_VENOPLASTY, **overrides}
    treatment, _ = Treatment.objects.get_or_create(slug=fields.pop("slug"), defaults=fields)
    return treatment


def make_moderator(username: str = "mod") -> "object":
    user = get_user_model().objects.create_user(
        username, f"{username}@example.invalid", "a-long-test-password-1", is_staff=True
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    group, _ = Group.objects.get_or_create(name="Moderators")
    for codename in ("view_story", "change_story", "view_storyawaitingreview",
                     "change_storyawaitingreview", "view_moderationdecision",
                     "view_storyrevision", "change_storyrevision", "view_followup",
                     "change_followup", "view_comment", "change_comment",
                     "view_commentreport", "change_commentreport", "view_storyreport",
                     "change_storyreport"):
        group.permissions.add(Permission.objects.get(codename=codename))
    user.groups.add(group)
    return user


def sign_in_moderator(client, user) -> str:
    """Sign a moderator in as the site requires (password and authenticator code), without
    going through the pages. Returns the TOTP secret, for tests that need a code."""
    import time

    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    secret = existing.data["secret"] if existing else generate_totp_secret()
    if existing is None:
        TOTP.activate(user, secret)
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session.save()
    return secret


def current_totp_code(secret: str) -> str:
    """The code an authenticator app would show now for this secret."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def give_authenticator(user) -> str:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def valid_story_post(treatment: Treatment, **overrides) -> dict:
    """POST data for the share form that passes validation."""
    data = {
        "treatment": str(treatment.pk),
        "procedure_status": "yes",
        "treated_month": "3",
        "treated_year": "2011",
        "country": "PL",
        "city": "Katowice",
        "clinic": "A private clinic",
        "treated_by": "Dr Example",
        "procedure_kind": "balloon",
        "veins": ["left_jugular", "azygos"],
        "result": "little_better",
        "symptom_fatigue": "better",
        "symptom_walking": "same",
        "change_onset": "week",
        "complications": ["none"],
        "treated_again": "no",
        "cost_amount": "9000",
        "cost_currency": "USD",
        "title": "Warmer hands after Katowice",
        "body": "My fatigue lifted within a week and my hands were warm for the first time.",
        "ms_type": "rrms",
        "diagnosis_year": "2004",
        "age_band": "40_49",
        "sex": "female",
        "display_name": "Anna",
        "email": "anna@example.com",
        "consent_publish": "on",
        "consent_statistics": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_story(treatment: Treatment | None = None, *, status=Story.Status.APPROVED, **fields):
    treatment = treatment or make_treatment()
    defaults = dict(
        treatment=treatment,
        title="A story",
        body="What happened to me after the procedure, in my own words.",
        procedure_status="yes",
        treated_year=2011,
        treated_month=3,
        country="PL",
        city="Katowice",
        result="little_better",
        symptoms={"fatigue": "better"},
        change_onset="week",
        display_name="Anna",
        email="anna@example.com",
        consent_publish=True,
        consent_statistics=True,
        status=status,
    )
    defaults.update(fields)
    story = Story(**defaults)
    if status == Story.Status.APPROVED:
        from django.utils import timezone

        story.published_at = story.published_at or timezone.now()
        story.assign_slug()
    story.save()
    return story


def admin_form_data(response) -> dict:
    """What an admin change page would send back unchanged (inlines and the admin's hidden
    initial values included), for tests to post with a few fields changed."""
    import json

    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            widget = form.fields[name].widget
            if isinstance(value, dict):
                # A widget of one input per key (a story's symptoms): name_key → value.
                for key, answer in value.items():
                    data[f"{form.add_prefix(name)}_{key}"] = answer
                continue
            if isinstance(value, (list, dict)) and not getattr(widget, "allow_multiple_selected",
                                                                False):
                value = json.dumps(value)
            data[form.add_prefix(name)] = value
            if form.fields[name].show_hidden_initial:
                data[form.add_initial_prefix(name)] = value
    # A moderated item's page says which version of it was opened (moderation.admin).
    if response.context.get("opened_fingerprint"):
        data["_opened_fingerprint"] = response.context["opened_fingerprint"]
    return data


def tasks_run_by(backend: str) -> dict:
    """A TASKS setting for tests: this backend, with the site's queues."""
    from django.conf import settings

    return {"default": {"BACKEND": backend, "QUEUES": settings.TASK_QUEUES}}
