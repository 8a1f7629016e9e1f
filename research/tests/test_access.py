"""Who reaches research exports: researchers signed in with a password and an authenticator
code; nobody else ever gets data. The data dictionary is public."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from hindsight.testing import (
    current_totp_code,
    give_authenticator,
    make_moderator,
    make_story,
    sign_in_moderator,
)
from research.models import ExportLog
from research.tests.helpers import PASSWORD, make_researcher

pytestmark = pytest.mark.django_db

INDEX = "/research/"
EXPORT = "/research/export/"


def export_post(client, treatment, fmt="csv"):
    return client.post(EXPORT, {"treatment": treatment.slug, "format": fmt})


def test_the_addresses_are_the_ones_the_site_links():
    assert reverse("research:index") == INDEX
    assert reverse("research:export") == EXPORT


def test_a_migration_makes_the_researchers_group_with_the_export_permission():
    group = Group.objects.get(name="Researchers")
    assert list(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("research", "export_deidentified")
    ]


def test_someone_not_signed_in_is_sent_to_the_password_sign_in(client, treatment):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")

    assert export_post(client, treatment).status_code == 302
    assert not ExportLog.objects.exists()


def test_an_author_signed_in_gets_a_403_page_and_no_data(client, treatment):
    story = make_story(treatment)
    from accounts.services import author_for_email

    author = author_for_email(story.email)
    client.force_login(author)

    page = client.get(INDEX)
    download = export_post(client, treatment)

    assert page.status_code == 403 and download.status_code == 403
    assert "Research exports are for researchers" in page.text
    assert "study_id" not in download.text
    assert not ExportLog.objects.exists()


def test_a_moderator_is_not_a_researcher(client, treatment):
    moderator = make_moderator()
    sign_in_moderator(client, moderator)

    assert client.get(INDEX).status_code == 403
    assert export_post(client, treatment).status_code == 403


def test_a_researcher_without_an_authenticator_is_sent_to_set_one_up(client, treatment):
    client.force_login(make_researcher())

    response = client.get(INDEX)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert export_post(client, treatment)["Location"] == reverse("mfa_activate_totp")
    assert not ExportLog.objects.exists()


def test_a_password_alone_does_not_open_research_exports(client, treatment):
    researcher = make_researcher()
    give_authenticator(researcher)
    client.post(reverse("account_login"), {"login": researcher.email, "password": PASSWORD})

    response = export_post(client, treatment)

    assert response.status_code == 302
    assert not ExportLog.objects.exists()


def test_an_emailed_code_sign_in_is_signed_out(client, treatment):
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    researcher = make_researcher()
    sign_in_moderator(client, researcher)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "code", "at": 0}]
    session.save()

    response = client.get(INDEX)

    assert response.status_code == 302
    assert not client.session.get("_auth_user_id")


def test_password_then_authenticator_code_opens_the_page(client, treatment):
    researcher = make_researcher()
    secret = give_authenticator(researcher)

    step1 = client.post(reverse("account_login") + "?next=/research/",
                        {"login": researcher.email, "password": PASSWORD})
    assert step1["Location"] == reverse("mfa_authenticate")
    step2 = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})
    assert step2.status_code == 302

    page = client.get(INDEX)
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert 'name="format" value="fhir"' in page.text


def test_the_view_checks_the_second_factor_even_without_the_middleware(client, settings,
                                                                       treatment):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE
                           if m != "accounts.middleware.ModeratorSecondFactorMiddleware"]
    researcher = make_researcher()
    client.force_login(researcher)  # no password, no code in this session

    assert client.get(INDEX).status_code == 302
    assert export_post(client, treatment).status_code == 302
    assert not ExportLog.objects.exists()


def test_an_account_taken_out_of_the_group_loses_access(client, treatment):
    researcher = make_researcher()
    sign_in_moderator(client, researcher)
    assert client.get(INDEX).status_code == 200

    researcher.groups.clear()

    assert client.get(INDEX).status_code == 403


def test_the_export_address_takes_only_post(client, treatment):
    sign_in_moderator(client, make_researcher())

    assert client.get(EXPORT).status_code == 405


def test_the_data_dictionary_is_public_and_cacheable(client):
    for path in ("/research/dictionary/", "/research/dictionary/data-dictionary.csv",
                 "/research/dictionary/data-dictionary.json",
                 "/research/dictionary/questionnaire.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "public" in response["Cache-Control"], path
        assert not response.cookies, path
    assert client.get("/research/dictionary/data-dictionary.xlsx").status_code == 404


def test_a_researcher_reads_the_dictionary_without_being_asked_for_a_code(client):
    client.force_login(make_researcher())

    assert client.get("/research/dictionary/").status_code == 200


def test_the_list_and_download_addresses_are_guarded_like_the_page(client, treatment):
    from research.models import ExportRequest

    owner = make_researcher("owner")
    export = ExportRequest.objects.create(user=owner, treatment=treatment, format="csv")
    addresses = ["/research/exports/", f"/research/exports/{export.pk}/download/"]

    for address in addresses:
        response = client.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("account_login") + "?next=")
    sign_in_moderator(client, make_moderator())
    assert [client.get(address).status_code for address in addresses] == [403, 403]
    client.force_login(owner)  # no authenticator code in this session
    assert [client.get(address)["Location"] for address in addresses] == [
        reverse("mfa_activate_totp")] * 2
    assert not ExportLog.objects.exists()
