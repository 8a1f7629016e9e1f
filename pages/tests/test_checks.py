import pytest

from pages.checks import check_contact_email, check_support_url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "example.org/give", "ftp://example.org"])
def test_a_support_url_that_is_not_a_web_address_stops_the_site(settings, url):
    settings.SUPPORT_URL = url

    assert [error.id for error in check_support_url(None)] == ["pages.E001"]


@pytest.mark.parametrize("url", ["", "https://example.org/give"])
def test_an_empty_or_web_support_url_passes(settings, url):
    settings.SUPPORT_URL = url

    assert check_support_url(None) == []


def test_a_contact_address_that_is_not_an_address_stops_the_site(settings):
    settings.CONTACT_EMAIL = "the editors"

    assert [error.id for error in check_contact_email(None)] == ["pages.E002"]


def test_production_warns_when_contact_messages_would_go_to_the_sending_address(settings):
    settings.PRODUCTION = True
    settings.CONTACT_EMAIL = settings.SERVER_EMAIL

    assert [error.id for error in check_contact_email(None)] == ["pages.W001"]
    settings.CONTACT_EMAIL = "Editors <editors@example.org>"
    assert check_contact_email(None) == []
