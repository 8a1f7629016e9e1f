"""Every string of the shared bad-input corpora through the contact form: never a 500; refused
with a message on the page that keeps everything typed; or accepted, emailed exactly as typed
(less surrounding spaces) and never as markup.

Each string goes into every field at once. When some fields refuse it, the form must say so and
keep what was typed; the string is then sent again in only the fields that took it (benign
values elsewhere), until it is accepted or every field has refused it."""

import pytest
from django.core import mail
from django.test import Client

from hindsight.hostile import Baseline, Page, load_corpora
from pages import views
from pages.models import ContactMessage
from pages.tests.helpers import contact_data

pytestmark = pytest.mark.django_db

STRINGS = load_corpora()
CHUNK = 60
CHUNKS = [STRINGS[i:i + CHUNK] for i in range(0, len(STRINGS), CHUNK)]
SUFFIX = "\nThe rest of my message, in ordinary words."
FIELDS = ("name", "email", "subject", "message")
BENIGN = {name: value for name, value in contact_data().items() if name in FIELDS}


@pytest.fixture(autouse=True)
def _no_rate_limit(monkeypatch):
    monkeypatch.setattr(views, "CONTACTS_PER_WINDOW", 10_000)


def _baselines(client: Client) -> tuple[Baseline, Baseline]:
    """What a refused form page and a sent email are made of, with benign input."""
    page = Baseline().add(client.get("/contact/").content.decode())
    for field in FIELDS:
        page.add(client.post("/contact/", contact_data(**{field: ""})).content.decode())
    too_long = {"name": "n" * 101, "email": "not an address", "subject": "s" * 151,
                "message": "m" * 5001}
    page.add(client.post("/contact/", contact_data(**too_long)).content.decode())
    page.add(client.post("/contact/", contact_data(shown_at="")).content.decode())
    client.post("/contact/", contact_data())
    email = Baseline().add(mail.outbox[-1].alternatives[0][0])
    mail.outbox.clear()
    return page, email


def _markup_problems(html: str, baseline: Baseline, where: str) -> list[str]:
    page = Page(html)
    problems = [f"{where}: handler {h}" for h in page.handlers]
    problems += [f"{where}: script URL {u}" for u in page.script_urls]
    problems += [f"{where}: new element <{tag} {' '.join(sorted(names))}>"
                 for tag, names in page.elements - baseline.elements]
    return problems


def _kept(html: str) -> dict[str, str | None]:
    page = Page(html)
    kept: dict[str, str | None] = {
        name: page.form_values.get(name, [None])[0] for name in ("name", "email", "subject")
    }
    kept["message"] = page.textareas.get("id_message")
    return kept


def _typed(field: str, text: str) -> str:
    return text + SUFFIX if field == "message" else text


def _send(client: Client, text: str, label: str, page_baseline: Baseline,
          email_baseline: Baseline) -> list[str]:
    problems = []
    remaining = set(FIELDS)
    while remaining:
        typed = {**BENIGN, **{field: _typed(field, text) for field in remaining}}
        response = client.post("/contact/", contact_data(**typed))
        if response.status_code >= 500:
            return [f"{label}: HTTP {response.status_code}"]
        if response.status_code == 200:
            html = response.content.decode()
            refused = set(response.context["form"].errors) & remaining
            if "There is a problem" not in html or not refused:
                return problems + [f"{label}: shown again without saying what is wrong"]
            if _kept(html) != typed:
                problems.append(f"{label}: lost what was typed: {_kept(html)!r}")
            problems += _markup_problems(html, page_baseline, f"{label} (form)")
            remaining -= refused
            continue
        if response.status_code != 302:
            return problems + [f"{label}: HTTP {response.status_code}"]
        if ContactMessage.objects.exists():
            problems.append(f"{label}: the message was kept after its email was sent")
        email = mail.outbox.pop()
        expected_subject = " ".join(f"Contact form: {typed['subject'].strip()} · Hindsight"
                                    .split())
        if email.subject != expected_subject:
            problems.append(f"{label}: email subject {email.subject!r}")
        if typed["message"].strip() not in email.body:
            problems.append(f"{label}: the message in the email is not what was typed")
        if email.extra_headers["Reply-To"] != typed["email"].strip():
            problems.append(f"{label}: Reply-To {email.extra_headers['Reply-To']!r}")
        email.message()  # the whole message can be built: no header injection slips through
        problems += _markup_problems(email.alternatives[0][0], email_baseline,
                                     f"{label} (email)")
        return problems
    return problems


@pytest.mark.parametrize("chunk", CHUNKS, ids=[f"{c[0][0]}{c[0][1]}" for c in CHUNKS])
def test_each_string_is_emailed_as_typed_or_refused_keeping_it_and_never_runs(chunk):
    client = Client()
    page_baseline, email_baseline = _baselines(client)
    problems = []
    for corpus, index, text in chunk:
        problems += _send(client, text, f"{corpus}[{index}] {text[:40]!r}", page_baseline,
                          email_baseline)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("chunk", CHUNKS, ids=[f"{c[0][0]}{c[0][1]}" for c in CHUNKS])
def test_each_string_as_the_signed_time_or_the_hidden_field_never_fails(chunk):
    client = Client()
    problems = []
    for corpus, index, text in chunk:
        for data in (contact_data(shown_at=text), contact_data(website=text)):
            response = client.post("/contact/", data)
            if response.status_code not in (200, 302):
                problems.append(f"{corpus}[{index}]: HTTP {response.status_code}")
    assert not ContactMessage.objects.exists() and not mail.outbox or all(
        "hidden" not in p for p in problems)
    assert not problems, "\n".join(problems)
