from hindsight.lib.markdown import render_author_markdown, render_editor_markdown


def test_author_markdown_keeps_the_small_subset():
    html = render_author_markdown("*soft* **strong**\n\n- a\n- b\n\n> quoted")

    assert "<em>soft</em>" in html and "<strong>strong</strong>" in html
    assert "<li>a</li>" in html and "<blockquote>" in html


def test_author_html_is_shown_as_typed_not_run():
    html = render_author_markdown('<script>alert(1)</script> <img src=x onerror=alert(1)>')

    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_authors_cannot_make_links_or_headings():
    html = render_author_markdown("# Big\n\n[click](https://spam.example) <https://x.example>")

    assert "<a" not in html and "<h1" not in html


def test_editor_links_are_safe():
    html = render_editor_markdown("[ok](https://example.org) [bad](javascript:alert(1))")

    assert 'href="https://example.org"' in html
    assert "javascript:" not in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_a_save_that_does_not_touch_the_body_does_not_render_it_again():
    from hindsight.lib.markdown import body_changes_on_save

    assert body_changes_on_save({}, {"body_html"}) is True
    assert body_changes_on_save({"update_fields": ["status"]}, {"body_html"}) is False
    kwargs = {"update_fields": ["body", "edited_at"]}
    assert body_changes_on_save(kwargs, {"body_html"}) is True
    assert kwargs["update_fields"] == {"body", "edited_at", "body_html"}
