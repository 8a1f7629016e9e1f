import pytest
from django.urls import reverse

from hindsight.testing import current_totp_code, make_moderator, sign_in_moderator

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-1"


def test_a_moderator_without_an_authenticator_is_sent_to_set_one_up(client):
    moderator = make_moderator()
    client.force_login(moderator)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_password_alone_does_not_open_moderation(client):
    moderator = make_moderator()
    sign_in_moderator(client, moderator)  # gives them an authenticator
    client.logout()
    client.post(reverse("account_login"), {"login": moderator.email, "password": PASSWORD})

    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain  # still waiting for the authenticator code
    assert response.request["PATH_INFO"] in (reverse("mfa_authenticate"),
                                             reverse("account_login"))


def test_password_then_authenticator_code_opens_moderation(client):
    moderator = make_moderator()
    secret = sign_in_moderator(client, moderator)
    client.logout()

    step1 = client.post(reverse("account_login"), {"login": moderator.email,
                                                   "password": PASSWORD})
    assert step1.status_code == 302
    assert step1["Location"] == reverse("mfa_authenticate")
    step2 = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})
    assert step2.status_code == 302

    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_keeps_moderation_closed(client):
    moderator = make_moderator()
    sign_in_moderator(client, moderator)
    client.logout()
    client.post(reverse("account_login"), {"login": moderator.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": "000000"})

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302


def test_a_one_time_email_code_does_not_open_moderation(client):
    """Sign-in by emailed code is for authors; a moderator signed in that way is sent back."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    moderator = make_moderator()
    sign_in_moderator(client, moderator)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "code", "at": 0}]
    session.save()

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert not client.session.get("_auth_user_id")  # signed out
