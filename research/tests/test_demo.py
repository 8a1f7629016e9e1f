import pytest
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from hindsight.testing import make_treatment
from research.demo import PASSWORD_FILE, SECRET_FILE, load_demo_researcher

pytestmark = pytest.mark.django_db


def test_the_demo_researcher_is_made_once_and_can_sign_in_with_a_code(settings, tmp_path,
                                                                      client, capsys):
    settings.VAR_DIR = tmp_path
    make_treatment()

    message = load_demo_researcher()
    password = (tmp_path / PASSWORD_FILE).read_text().strip()
    load_demo_researcher()

    user = get_user_model().objects.get(username="researcher")
    assert "researcher@example.invalid" in message and str(tmp_path) in message
    assert get_user_model().objects.filter(username="researcher").count() == 1
    assert (tmp_path / PASSWORD_FILE).read_text().strip() == password  # unchanged
    assert oct((tmp_path / SECRET_FILE).stat().st_mode)[-3:] == "600"
    assert is_mfa_enabled(user) and not user.is_staff
    assert user.has_perm("research.export_deidentified")

    client.post(reverse("account_login"), {"login": user.email, "password": password})
    call_command("demo_researcher_code")
    code = capsys.readouterr().out.split()[0]
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.get("/research/").status_code == 200


def test_there_is_no_demo_researcher_on_a_production_site(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.PRODUCTION = True

    with pytest.raises(RuntimeError):
        load_demo_researcher()
    with pytest.raises(CommandError):
        call_command("demo_researcher_code")
