"""The security headers of every kind of page, read from real responses: anonymous content,
forms, personal pages, moderation, downloads, feeds, errors."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from articles.content import ARTICLES, SERIES
from articles.models import Article, Series
from hindsight.testing import make_moderator, make_story, make_treatment, sign_in_moderator
from outcomes.tests.helpers import release_figures

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

PUBLIC_PAGES = [
    "/", "/stories/", "/stories/{story}/", "/treatments/", "/treatments/{treatment}/",
    "/treatments/{treatment}/evidence/", "/outcomes/{treatment}/",
    "/outcomes/{treatment}/data/over-time.csv", "/outcomes/{treatment}/data/over-time.json",
    "/articles/", "/articles/{article}/", "/search/?q=walking", "/about/", "/privacy/",
    "/feeds/stories.rss", "/feeds/articles.atom", "/sitemap.xml", "/robots.txt",
    "/research/dictionary/",
]
FORM_PAGES = ["/stories/share/", "/contact/", "/accounts/login/"]


@pytest.fixture
def content():
    treatment = make_treatment()
    story = make_story(treatment)
    series = Series.objects.create(**SERIES)
    article = Article.objects.create(**ARTICLES[0], series=series,
                                     status=Article.Status.PUBLISHED)
    release_figures()
    return {"treatment": treatment.slug, "story": story.slug, "article": article.slug}


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


def _assert_hardened(response, url: str) -> None:
    csp = _csp(response)
    assert csp.get("frame-ancestors") == "'none'" or csp.get("default-src") == "'none'", url
    assert "unsafe-eval" not in response["Content-Security-Policy"], url
    if not url.endswith(".svg"):
        assert "unsafe-inline" not in response["Content-Security-Policy"], url
        assert csp["script-src"] == "'self'", url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
    assert response["X-Frame-Options"] == "DENY", url


@pytest.mark.parametrize("address", PUBLIC_PAGES)
def test_anonymous_content_is_hardened_cacheable_and_sets_no_cookie(client, content, address):
    url = address.format(**content)

    response = client.get(url)

    assert response.status_code == 200, url
    _assert_hardened(response, url)
    assert response["Cache-Control"].startswith("public, max-age="), url
    assert not response.cookies, url


def test_the_public_max_age_is_public_cache_seconds_which_bounds_the_front_cache(
        client, content, settings):
    # deploy/nginx.conf keeps a page exactly this long, so a moderation decision shows
    # everywhere within PUBLIC_CACHE_SECONDS.
    settings.PUBLIC_CACHE_SECONDS = 17

    response = client.get(f"/stories/{content['story']}/")

    assert response["Cache-Control"] == "public, max-age=17"


def test_a_chart_may_style_itself_but_runs_nothing_and_cannot_be_framed(client, content):
    response = client.get(f"/outcomes/{content['treatment']}/better-over-time.svg")

    assert _csp(response)["default-src"] == "'none'"
    assert "script-src" not in _csp(response)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", FORM_PAGES)
def test_forms_are_hardened_and_never_stored_by_a_cache(client, content, url):
    response = client.get(url)

    assert response.status_code == 200, url
    _assert_hardened(response, url)
    assert "no-store" in response["Cache-Control"], url


def test_missing_pages_are_hardened(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    _assert_hardened(response, "/no-such-page/")


def test_personal_and_moderation_pages_are_never_stored(client, content):
    story = make_story(make_treatment(slug="other", name="Other"), email="a@example.org")
    sign_in_moderator(client, make_moderator())
    for url in ["/moderation/", "/moderation/stories/storyawaitingreview/", "/my/",
                f"/moderation/stories/story/{story.pk}/change/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_hardened(response, url)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_https_responses_carry_hsts_for_a_year_in_production(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get("/", secure=True)

    max_age = int(response["Strict-Transport-Security"].split("max-age=")[1].split(";")[0])
    assert max_age >= 31536000
    assert "includeSubDomains" in response["Strict-Transport-Security"]


def _production(*command: str, **extra_env) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update({
        "HINDSIGHT_ENV": "production", "SECRET_KEY": "k3y-" + os.urandom(40).hex(),
        "ALLOWED_HOSTS": "hindsight.example.org", "CONTACT_EMAIL": "team@example.org",
        "HINDSIGHT_VAR_DIR": extra_env.pop("var_dir"), **extra_env,
    })
    return subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_production_settings_pass_djangos_deployment_audit(tmp_path):
    result = _production("check", "--deploy", "--fail-level", "WARNING", var_dir=str(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cookies_are_secure_host_only_and_http_only(tmp_path):
    result = _production(
        "shell", "--no-imports", "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, "
        "s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS)",
        var_dir=str(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["__Host-sessionid", "__Host-csrftoken", "True", "True",
                                     "True", "Lax", "31536000"]
