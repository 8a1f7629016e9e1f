import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from hindsight.testing import admin_form_data, make_moderator, make_story, sign_in_moderator
from pages.content import default_pages
from pages.models import SitePage
from pages.services import site_pages_ensure
from pages.tests.helpers import FOOTER_PATHS, SITE_PAGE_PATHS, footer_hrefs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", SITE_PAGE_PATHS)
def test_each_site_page_renders_from_the_database_and_is_publicly_cacheable(client, path):
    page = SitePage.objects.get(slug=path.strip("/"))

    response = client.get(path)

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60" and not response.cookies
    html = response.content.decode()
    assert f"<h1>{page.title}</h1>" in html
    assert page.body_html in html
    assert "csrfmiddlewaretoken" not in html


def test_a_fresh_database_has_every_page_with_its_default_text():
    pages = {page.slug: page for page in SitePage.objects.all()}

    assert set(pages) == set(SitePage.Slug.values)
    for fields in default_pages():
        assert pages[fields["slug"]].body == fields["body"]
        assert "<h2>" in pages[fields["slug"]].body_html or fields["slug"] == "support"


def test_a_missing_page_shows_its_default_text_rather_than_failing(client):
    SitePage.objects.filter(slug="privacy").delete()

    response = client.get("/privacy/")

    assert response.status_code == 200
    assert "How long we keep it" in response.content.decode()
    assert not SitePage.objects.filter(slug="privacy").exists()  # a GET writes nothing


def test_ensuring_the_pages_adds_missing_ones_and_keeps_edited_ones():
    SitePage.objects.filter(slug="about").delete()
    SitePage.objects.filter(slug="privacy").update(body="Edited by a moderator.")

    site_pages_ensure()
    site_pages_ensure()

    assert SitePage.objects.count() == len(SitePage.Slug.values)
    assert SitePage.objects.get(slug="privacy").body == "Edited by a moderator."
    assert "## What you will find here" in SitePage.objects.get(slug="about").body


def test_the_body_is_markdown_with_links_and_never_raw_markup():
    page = SitePage.objects.get(slug="about")
    page.body = ("## Who we are\n\nSee [the stories](/stories/).\n\n<script>alert(1)</script>"
                 "\n\n[x](javascript:alert(1))")
    page.save()

    assert "<h2>Who we are</h2>" in page.body_html
    assert '<a href="/stories/"' in page.body_html
    assert "<script>" not in page.body_html and "&lt;script&gt;" in page.body_html
    assert "javascript:" not in page.body_html


def test_the_privacy_page_says_what_is_kept_for_how_long_and_how_to_leave(client):
    html = client.get("/privacy/").content.decode()

    for heading in ["What we keep, and why", "How long we keep it", "Who sees what",
                    "See, download, change or erase your data"]:
        assert f"<h2>{heading}</h2>" in html
    assert 'href="/my/"' in html
    assert "never shown" in html


def test_the_moderators_group_may_view_and_change_site_pages_but_not_add_or_delete():
    codenames = set(Group.objects.get(name="Moderators").permissions.filter(
        content_type__app_label="pages").values_list("codename", flat=True))

    assert codenames == {"view_sitepage", "change_sitepage"}


def test_a_moderator_edits_a_page_in_the_admin_and_the_public_page_changes(client):
    moderator = make_moderator()
    sign_in_moderator(client, moderator)
    page = SitePage.objects.get(slug="disclosure")
    change_url = reverse("admin:pages_sitepage_change", args=[page.pk])
    form = client.get(change_url)
    assert form.status_code == 200

    data = admin_form_data(form)
    data["body"] = "## Sponsors\n\nThe **Example Trust** paid for hosting in 2026."
    response = client.post(change_url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    html = client.get("/disclosure/").content.decode()
    assert "<h2>Sponsors</h2>" in html and "<strong>Example Trust</strong>" in html


def test_moderators_cannot_add_or_delete_pages(client):
    sign_in_moderator(client, make_moderator())
    page = SitePage.objects.get(slug="about")

    assert client.get(reverse("admin:pages_sitepage_add")).status_code == 403
    assert client.get(reverse("admin:pages_sitepage_delete", args=[page.pk])).status_code == 403
    assert client.get(reverse("admin:pages_sitepage_changelist")).status_code == 200


def test_someone_outside_the_moderators_group_cannot_edit_pages(client):
    staff = make_moderator("staffer")
    staff.groups.clear()
    sign_in_moderator(client, staff)

    page = SitePage.objects.get(slug="about")
    response = client.get(reverse("admin:pages_sitepage_change", args=[page.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/", "/stories/", "/nothing-here/", *FOOTER_PATHS])
def test_every_page_footer_links_to_every_site_page(client, path):
    make_story()

    hrefs = footer_hrefs(client.get(path).content.decode())

    assert set(FOOTER_PATHS) <= hrefs


def test_a_story_page_footer_links_to_every_site_page(client):
    story = make_story()

    hrefs = footer_hrefs(client.get(story.get_absolute_url()).content.decode())

    assert set(FOOTER_PATHS) <= hrefs


def test_with_no_support_url_the_support_page_says_how_to_help_without_money(client, settings):
    settings.SUPPORT_URL = ""

    html = client.get("/support/").content.decode()

    assert "Support this site with money" not in html
    assert "Share your story" in html and "what happened next" in html


def test_a_support_url_is_linked_from_the_footer_and_the_support_page(client, settings):
    settings.SUPPORT_URL = "https://example.org/give"

    home = client.get("/").content.decode()
    support = client.get("/support/").content.decode()

    assert "https://example.org/give" in footer_hrefs(home)
    assert support.count('href="https://example.org/give"') == 2  # the button and the footer
