import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from audit.demo import AUDITORS_GROUP, load_demo_auditors
from hindsight.testing import make_moderator, sign_in_moderator

pytestmark = pytest.mark.django_db


def test_the_demo_moderator_can_read_the_audit_log_and_running_again_changes_nothing():
    moderator = make_moderator("moderator")
    client = Client()
    sign_in_moderator(client, moderator)
    assert client.get("/moderation/audit/auditevent/").status_code == 403

    first = load_demo_auditors()
    second = load_demo_auditors()

    assert first == second and "/moderation/audit/auditevent/" in first
    assert Group.objects.filter(name=AUDITORS_GROUP).count() == 1
    assert list(get_user_model().objects.get(pk=moderator.pk).groups.values_list(
        "name", flat=True).order_by("name")) == [AUDITORS_GROUP, "Moderators"]
    assert client.get("/moderation/audit/auditevent/").status_code == 200


def test_without_a_demo_moderator_it_only_makes_the_group():
    assert "no demo moderator" in load_demo_auditors()
    assert Group.objects.get(name=AUDITORS_GROUP).permissions.get().codename == "view_auditevent"


def test_it_refuses_to_run_on_a_production_site(settings):
    settings.PRODUCTION = True
    with pytest.raises(RuntimeError):
        load_demo_auditors()
