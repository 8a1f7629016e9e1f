from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from hindsight.lib.http import public_page
from hindsight.lib.ratelimit import allow, client_address
from pages import services
from pages.forms import ContactForm
from pages.models import SitePage
from pages.selectors import site_page_get
from pages.sitemaps import SECTIONS
from stories.models import Story
from treatments.models import Treatment

# Someone writing to the site sends one message, perhaps two; a script sends hundreds.
CONTACTS_PER_WINDOW = 5
WINDOW_SECONDS = 3600
# Typing a subject and a message takes longer than this; a script posts at once.
MIN_SECONDS_TO_WRITE = 3

# Addresses that are personal, one-off (signed links) or not pages at all.
ROBOTS_DISALLOW = [
    "/my/", "/moderation/", "/accounts/", "/comments/", "/research/", "/reminders/",
    "/stories/confirm/", "/stories/share/sent/", "/contact/sent/",
]


@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/home.html",
        {
            "treatments": Treatment.objects.active(),
            "recent_stories": Story.objects.public().for_list()[:5],
        },
    )


@public_page
def site_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = site_page_get(slug)
    return render(request, "pages/site_page.html", {
        "page": page,
        "support_url": settings.SUPPORT_URL if slug == SitePage.Slug.SUPPORT else "",
    })


def _contact_page(request: HttpRequest, form: ContactForm, status: int = 200,
                  **flags: bool) -> HttpResponse:
    return render(request, "pages/contact.html", {"form": form, **flags}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        initial = {"shown_at": ContactForm.shown_at_token()}
        return _contact_page(request, ContactForm(initial=initial))
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _contact_page(request, form)
    seconds = form.seconds_to_write()
    if seconds is None or seconds < MIN_SECONDS_TO_WRITE:
        # Shown again with a fresh timestamp: a person presses Send once more, a script rarely.
        data = request.POST.copy()
        data["shown_at"] = ContactForm.shown_at_token()
        return _contact_page(request, ContactForm(data), too_fast=True)
    if not allow("contact", client_address(request), limit=CONTACTS_PER_WINDOW,
                 window_seconds=WINDOW_SECONDS):
        return _contact_page(request, form, status=429, too_many=True)
    if form.cleaned_data["website"]:
        # A bot filled the hidden field: it sees the thank-you page, and nothing is sent.
        return redirect("pages:contact-sent")
    services.contact_submit(
        name=form.cleaned_data["name"],
        email=form.cleaned_data["email"],
        subject=form.cleaned_data["subject"],
        message=form.cleaned_data["message"],
    )
    return redirect("pages:contact-sent")


def contact_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/contact_sent.html")


@public_page
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {settings.SITE_URL}{reverse('pages:sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@public_page
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The index of the sitemap's sections (Django's own index takes the request's host)."""
    entries = []
    for section, make_sitemap in SECTIONS.items():
        sitemap = make_sitemap()
        url = settings.SITE_URL + reverse("pages:sitemap-section", kwargs={"section": section})
        entries.append(SitemapIndexItem(url, sitemap.get_latest_lastmod()))
        for number in range(2, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{url}?p={number}", None))
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries},
                            content_type="application/xml")
