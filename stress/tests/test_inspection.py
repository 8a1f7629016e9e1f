"""How the bad-input phase decides that a page gained script: what it must catch, and the
benign differences it must let through (or every run would fail, and none would mean much)."""

from stress.badinput import Allowed, Inspection, hidden_inputs, script_problems, unexpected_markup

BENIGN = """<!doctype html><html lang="en"><head>
<meta charset="utf-8"><meta name="description" content="A story">
<link rel="stylesheet" href="/static/site.css"><link rel="canonical" href="/stories/a/">
<script src="/static/site.js" defer></script></head>
<body><h1>A story</h1>
<form method="post" action="/comments/story/3/write/" hx-post="/comments/story/3/write/"
 hx-target="#comment-form-new"><input type="hidden" name="csrfmiddlewaretoken" value="tok">
<input type="text" name="name" value="Anna"><textarea name="body">Hello</textarea></form>
<p>Words with <em>emphasis</em>.</p></body></html>"""


def _allowed() -> Allowed:
    allowed = Allowed()
    allowed.add(BENIGN)
    return allowed


def _problems(body: str, head: str = "") -> list[str]:
    html = BENIGN.replace("</head>", head + "</head>").replace("</body>", body + "</body>")
    return script_problems(Inspection(html), _allowed())


def test_it_lets_the_benign_page_and_escaped_payloads_through():
    assert _problems("") == []
    assert _problems("<p>&lt;script&gt;alert(1)&lt;/script&gt; &quot;onerror=x</p>") == []
    # The same form for another story: ids in htmx attributes do not matter.
    assert _problems('<form hx-post="/comments/story/12/write/"></form>') == []
    # A <meta name=...> with hostile text in its content is text, not script.
    assert _problems("", head='<meta name="description" content="<script>">') == []


def test_it_catches_an_event_handler_on_any_element():
    assert any("event handler" in p for p in _problems('<img src="x" onerror="alert(1)">'))
    assert any("event handler" in p for p in _problems('<p OnMouseOver="alert(1)">x</p>'))


def test_it_catches_script_urls_even_when_obfuscated():
    assert any("script URL" in p for p in _problems('<a href="javascript:alert(1)">x</a>'))
    assert any("script URL" in p for p in _problems('<a href=" j\tava\nscript:alert(1)">x</a>'))
    assert any("script URL" in p
               for p in _problems('<iframe src="data:text/html,<script>alert(1)</script>">'))


def test_it_catches_new_scripts_frames_and_refreshes_but_not_the_sites_own():
    assert _problems('<script src="/static/site.js" defer></script>') == []
    assert any("active element" in p for p in _problems("<script>alert(1)</script>"))
    assert any("active element" in p for p in _problems('<script src="//evil.example/x.js">'))
    assert any("active element" in p for p in _problems('<object data="/x.swf"></object>'))
    assert any("active element" in p for p in _problems('<base href="//evil.example/">'))
    assert any("active element" in p for p in _problems(
        "", head='<meta http-equiv="refresh" content="0;url=//evil.example/">'))
    assert any("active element" in p for p in _problems(
        "", head='<link rel="stylesheet" href="//evil.example/x.css">'))


def test_it_catches_htmx_attributes_the_page_did_not_have():
    assert any("htmx" in p for p in _problems('<div hx-get="/x" hx-trigger="load"></div>'))
    assert any("htmx" in p for p in _problems('<div data-hx-post="/x"></div>'))


def test_it_catches_svg_that_animates_a_link_into_script():
    problems = _problems('<svg><a><animate attributeName="href" values="x"/></a></svg>')
    assert any("SVG element <animate>" in p for p in problems)


def test_a_benign_page_that_runs_script_is_refused_as_a_baseline():
    allowed = Allowed()
    try:
        allowed.add('<p onclick="x()">benign?</p>')
    except AssertionError:
        return
    raise AssertionError("a page with an event handler was accepted as benign")


def test_other_new_markup_is_reported_apart_from_script_and_markdown_is_not_new():
    html = BENIGN.replace("</body>", '<img src="/x.png"><ul><li>item</li></ul></body>')
    page = Inspection(html)
    assert script_problems(page, _allowed()) == []
    assert unexpected_markup(page, _allowed()) == ["<img src>"]


def test_a_field_shown_with_its_error_is_not_new_markup():
    html = BENIGN.replace('<input type="text" name="name" value="Anna">',
                          '<input type="text" name="name" value="" aria-invalid="true" '
                          'aria-describedby="id_name_error">')
    assert unexpected_markup(Inspection(html), _allowed()) == []


def test_hidden_inputs_are_what_a_post_carries_besides_the_answers():
    assert hidden_inputs(BENIGN) == {"csrfmiddlewaretoken": ["tok"]}
    html = '<input type="HIDDEN" name="shown_at" value="1:a"><input type="radio" name="x" checked>'
    assert hidden_inputs(html) == {"shown_at": ["1:a"]}
