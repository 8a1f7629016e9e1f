import pytest
from django.core.management import call_command

from stories.models import Story, StoryConsent
from treatments.models import Treatment

pytestmark = pytest.mark.django_db


def test_it_creates_the_treatment_a_moderator_and_invented_stories(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stories=30, statistics_only=0, verbosity=0)

    treatment = Treatment.objects.get(slug="ccsvi-venoplasty")
    assert "sham" in treatment.evidence
    assert Story.objects.public().count() == 30
    assert Story.objects.awaiting_review().count() == 2
    assert not Story.objects.filter(is_demo=False).exists()
    assert StoryConsent.objects.count() == 30 * 2
    assert {s.result for s in Story.objects.public() if s.had_procedure} >= {"much_better",
                                                                          "no_change"}
    assert (tmp_path / "demo-moderator-password.txt").exists()
    assert (tmp_path / "demo-moderator-totp-secret.txt").exists()
    assert all(s.body_html and s.slug for s in Story.objects.public())


def test_it_does_nothing_on_a_database_with_content(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stories=5, statistics_only=4, verbosity=0)
    call_command("load_demo", stories=5, statistics_only=4, if_empty=True, verbosity=0)

    assert Story.objects.count() == 5 + 2 + 4


def test_it_refuses_to_run_in_production(settings):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("load_demo", verbosity=0)


def test_invented_stories_are_marked_on_their_page(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stories=3, statistics_only=0, verbosity=0)
    story = Story.objects.public().first()

    html = client.get(story.get_absolute_url()).content.decode()

    assert "Invented example" in html
