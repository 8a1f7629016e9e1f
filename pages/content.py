"""The text a new site starts with on its fixed pages. Moderators edit it afterwards in the
admin; these defaults only fill a page that does not exist yet.

Everything here describes what the code does today (read from `accounts`, `stories`,
`followups`, `discussion`, `outcomes` and this app). If the code changes what it keeps or for how
long, change this text too, and the pages through the admin.
"""

from django.conf import settings

from pages.models import CONTACT_RETENTION_DAYS

ABOUT = """\
{site} is a place where people with multiple sclerosis tell what happened when they tried a
treatment, and come back months and years later to say whether it lasted. The first treatment
here is venous angioplasty for CCSVI (“chronic cerebrospinal venous insufficiency”), sometimes
called the “liberation” procedure.

## What you will find here

- **Stories**, in people's own words, with the same six questions answered by everyone, so they
  can be read side by side. [Read the stories](/stories/).
- **What happened next**: authors add follow-ups at 3, 6 and 12 months and later, so a story
  does not stop at the hopeful first weeks.
- **Honest numbers**: what everyone who agreed reported, counted the same way each time, with
  small groups hidden so nobody can be picked out. [See the numbers and the
  treatments](/treatments/).
- **What the trials found**, beside the stories, with their sources. [Read the
  articles](/articles/).

## How it works

A moderator reads every story, follow-up and first comment before it appears, and removes
details that could identify someone. Nobody's email address is ever shown. People choose
separately whether their story is published and whether their answers are counted.

Stories are personal experiences, not medical advice: please read the
[medical disclaimer](/disclaimer/).

## Who runs it

The site carries no advertising and takes no money from anyone who sells a treatment: see
[advertising and money](/disclosure/). To ask a question or point out a mistake, use the
[contact form](/contact/).
"""

PRIVACY = """\
Everything here describes what {site}'s software actually does. If anything is unclear,
[write to us](/contact/).

## What we keep, and why

**When you share a story**

- **Your answers and your words**: the treatment, whether and when you had it, where and by whom,
  the result, your symptoms, complications, cost, type of MS, year of diagnosis, age band and
  sex (most are optional), your title and your story. We keep them to publish your story if you
  agree, and to count your answers in the statistics if you agree.
- **Your display name**, shown with your story. A first name or a made-up name is fine.
- **Your email address**, to check that it is yours, to tell you what a moderator decided, to
  send follow-up reminders if you ask for them, and to let you sign in. It is never shown on the
  site, to other readers or to moderators.
- **Each consent as you gave it**: the exact words you saw, their version, your answer and the
  time. A change adds a new record and keeps the old ones, so there is a true history of what
  you agreed to.
- When you sent your story, confirmed your address and were published, and whether you asked
  for reminders.

**When you come back**: your follow-ups, the “before treatment” answers if you had booked the
procedure, edits of your story waiting for a moderator, and which reminder emails were sent (so
none is sent twice).

**Your account** is made when you confirm the email address of a story. It holds that address,
when it was made and when you last signed in. There is no password: you sign in with a code we
email you, which works for five minutes.

**Comments**: the name you give, your email address (never shown), your words and when you
wrote them; whether your address is confirmed, whether a moderator has approved one of your
comments, and which comment emails you want. When someone reports a comment we keep the reason
and their note, not who they are.

**The contact form**: your name if you give it, your email address, the subject and your
message, so that we can read it and answer you.

**Moderators' decisions**: every approval, rejection (with its reason), edit and confirmation,
with the moderator who made it and when, so that moderation can be checked.

**Your IP address** is used to limit how many forms one computer can send (against spam). Only a
one-way hash of it is kept, for at most an hour.

## Cookies and your browser

There are no advertising or analytics cookies, and our pages load nothing from other websites.

- A **session cookie** while you sign in and stay signed in; once you are signed in, it ends
  when you close the browser.
- A **csrftoken** cookie when a page shows you a form: a random value that proves what you
  send came from this site.
- **hindsight_comments**, sent only to comment pages, once you comment: a random key that lets
  you change or delete your comment for 15 minutes, and which of your addresses you confirmed in
  this browser. It lasts a year.
- The story form keeps a **draft in your browser** (not on our server) while you type, without
  your email address, so you lose nothing if you are interrupted. It is removed when you send the
  story, or when you press “Clear the draft”.

## How long we keep it

- **Stories, follow-ups, consents, comments and your account** are kept until you erase them.
- **Withdrawing a story** hides it from everyone and takes it out of the research data at once and
  out of the public figures when they next change (a page's figures change only once enough
  people's reports have changed, which can take weeks),
  but keeps it so that you can send it back to a moderator later. To delete it, erase it.
- Stories a moderator **rejected**, and stories whose email address was **never confirmed**,
  are kept too, unseen, until they are erased.
- A **comment you delete** disappears from the page at once; its words stay in our database
  until you erase your data.
- **Sign-in codes** stop working after five minutes. The email that carries one waits in our
  outgoing queue, which keeps a copy until the site's operator clears sent messages or you erase
  your data.
- **Contact messages** are deleted from the site as soon as the email to us has been sent, or
  after {contact_days} days if sending keeps failing. The email itself stays in our mailbox while
  we need it to answer you; ask, and we will delete it.
- **After an erasure** we keep a note that it happened, when, and how many stories it removed,
  with a keyed fingerprint of your email address but not the address itself, so that the erasure
  can be applied again if an older backup is ever restored. The record of moderators' decisions
  stays, without their notes and without the admin history that named your story.

## Who sees what

- **Everyone** sees published stories: only those a moderator approved *and* whose author agreed
  to publication, with the display name, the answers, the words and approved follow-ups; and
  published comments with the name their writer gave. Never an email address.
- **Moderators** see stories, follow-ups, edits and comments waiting for review, so that they
  can check them and remove identifying details. They do not see email addresses.
- **The statistics** on the outcomes pages use only the answers of people who agreed to be
  counted: never names, email addresses or words. Groups of fewer than {threshold} people are not
  shown.
- **Researchers**, approved one by one by the site's administrators, can download de-identified
  data about people who agreed to be counted: a random study number (a new one in each
  download), no name, email address, words, city, clinic or doctor, dates given as months since
  treatment, ages in bands, and every combination of age band, sex, region, type of MS and year
  of treatment shared by at least 5 people. Every download is logged.
- **The people who run the server** can reach the database, as on any website, to keep the site
  working.
- **Our emails** to you pass through the site's email provider.

We do not sell or give your data to anyone, and there is no advertising.

## See, download, change or erase your data

Sign in on [Your stories](/my/) with the email address you used; we email you a code. There you
can:

- **download** your account and your stories, with every consent record, follow-up and “before
  treatment” answer, as JSON or CSV, and see your comments;
- **edit** a story, **change each consent**, **stop reminders** or **withdraw** a story;
- **erase** one story, or **erase everything**: your account, stories, follow-ups and comments
  (or, if you prefer, keep the words of your comments with no name or email address left).
  Erasure happens at once.

Every reminder email has a link to stop reminders, and every comment email a link to stop that
kind of email. For anything else, including a contact message you want deleted, use the
[contact form](/contact/).
"""

DISCLAIMER = """\
Nothing on {site} is medical advice. Please talk to your neurologist before you start, stop or
change any treatment, and do not stop a treatment your doctor prescribed because of something
you read here.

## The stories

Each story is one person's experience, in their own words. A moderator reads every story before
it appears, to remove details that could identify someone, but cannot check that it is true or
complete. One person's result tells you little about what would happen to you.

## The numbers

The outcomes pages count what people chose to report. They are not a clinical trial:

- the people who write here chose to, and people who did well or badly may be more likely to
  write, or to come back later;
- there is no comparison group, and nobody is blinded: people know what they had;
- MS changes by itself over time, so a change after a treatment is not proof that the treatment
  caused it.

So these numbers cannot show whether a treatment works. What the trials found is shown beside
them on each [treatment's page](/treatments/), with its sources.

## If you feel unwell after a procedure

Get medical help at once. If you have chest pain, trouble breathing, a severe headache, sudden
weakness or bleeding that does not stop, call your emergency number now.
"""

DISCLOSURE = """\
## No advertising

{site} shows no advertisements and has no sponsored content.

## No affiliate links

No link on this site earns anyone money. When a story or an article names a clinic, a doctor or a
product, that is not a recommendation, and nobody paid for it.

## No money from anyone who sells a treatment

The site takes no money, gifts or services from clinics, doctors, device makers or anyone else
who sells a treatment discussed here. If that ever changes, this page will say who paid, how
much and for what, before any of it is used.

## No tracking

Our pages load nothing from other websites: no analytics, no advertising networks, no social
media buttons. See the [privacy page](/privacy/).
"""

SUPPORT = """\
The most useful help costs nothing.

- **Share your story**, whatever happened: stories where nothing changed, or things got worse,
  matter as much as the good ones. [Share your story](/stories/share/).
- **Come back and say what happened next.** A follow-up at 6 or 12 months is worth more than
  the first weeks. Sign in on [Your stories](/my/) to add one.
- **Tell us about mistakes.** If an article, a treatment page or this site's wording is wrong or
  unclear, [write to us](/contact/) with what is wrong and, if you can, a source.
- **Report a comment** that breaks the rules, with the “Report” link under it.
- **Tell others** who are weighing a treatment, or who had one, that this site exists.
"""

_PAGES = [
    ("about", "About this site",
     "People with MS tell what happened after a treatment, and come back later to say what "
     "happened next.", ABOUT),
    ("privacy", "Privacy",
     "What this site keeps about you, why, for how long, who can see it, and how to download "
     "or erase it.", PRIVACY),
    ("disclaimer", "Medical disclaimer",
     "Nothing here is medical advice. Talk to your neurologist before you decide on any "
     "treatment.", DISCLAIMER),
    ("disclosure", "Advertising and money",
     "No advertising, no affiliate links, and no money from anyone who sells a treatment.",
     DISCLOSURE),
    ("support", "Support this site",
     "Ways to help this site, most of which cost nothing.", SUPPORT),
]


def default_pages() -> list[dict[str, str]]:
    """Each page's slug, title, summary and Markdown body, filled in with this site's name and
    settings as they are now."""
    values = {
        "{site}": settings.SITE_NAME,
        "{threshold}": str(settings.SMALL_COUNT_THRESHOLD),
        "{contact_days}": str(CONTACT_RETENTION_DAYS),
    }
    pages = []
    for slug, title, summary, body in _PAGES:
        for placeholder, value in values.items():
            body = body.replace(placeholder, value)
        pages.append({"slug": slug, "title": title, "summary": summary, "body": body})
    return pages
