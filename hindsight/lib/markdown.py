"""Markdown in, safe HTML out.

Authors write in a small subset (paragraphs, emphasis, lists, quotes). Their raw HTML is escaped
first, so `<b>` shows as typed instead of vanishing, and nh3 removes anything outside the subset
as a second line of defence.
"""

import markdown as markdown_lib
import nh3

AUTHOR_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote"}
# Moderators' pages (treatments, articles) may also use headings and links.
EDITOR_TAGS = AUTHOR_TAGS | {"h2", "h3", "h4", "a", "code", "hr"}


def _render(text: str, tags: set[str], allow_links: bool, extensions: list[str]) -> str:
    # Escape only what starts markup; a bare ">" must survive for Markdown quotes.
    source = text.replace("&", "&amp;").replace("<", "&lt;")
    rendered = markdown_lib.markdown(source, extensions=extensions)
    return nh3.clean(
        rendered,
        tags=tags,
        attributes={"a": {"href"}} if allow_links else {},
        url_schemes={"https", "http", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def body_changes_on_save(save_kwargs: dict, derived_fields: set[str]) -> bool:
    """For a model whose HTML is derived from its `body`: whether this save needs it rendered
    again. A save limited to other fields (a status change) does not; one limited to fields
    that include `body` also writes the derived fields."""
    fields = save_kwargs.get("update_fields")
    if fields is None:
        return True
    if "body" not in fields:
        return False
    save_kwargs["update_fields"] = {*fields, *derived_fields}
    return True


def render_author_markdown(text: str) -> str:
    """HTML for text written by a member of the public."""
    # People type line breaks and expect to see them.
    return _render(text, AUTHOR_TAGS, allow_links=False, extensions=["sane_lists", "nl2br"])


def render_editor_markdown(text: str) -> str:
    """HTML for text written by a moderator in the admin."""
    return _render(text, EDITOR_TAGS, allow_links=True, extensions=["sane_lists"])
