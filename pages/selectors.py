from hindsight.lib.markdown import render_editor_markdown
from pages.content import default_pages
from pages.models import SitePage


def site_page_get(slug: str) -> SitePage:
    """The page as moderators wrote it; if its row is missing (a database the default pages
    were never loaded into, or emptied), the default text, unsaved, so the page never fails."""
    page = SitePage.objects.filter(slug=slug).first()
    if page is not None:
        return page
    fields = next(fields for fields in default_pages() if fields["slug"] == slug)
    page = SitePage(**fields)
    page.body_html = render_editor_markdown(page.body)
    return page
