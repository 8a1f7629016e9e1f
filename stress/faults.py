"""Faults: four processes share stories and post comments, each through the site's own form
pages (GET for the CSRF token, then POST), while gunicorn's master and workers are killed
together with SIGKILL at random moments and started again, many times.

Afterwards every submission that got the site's success answer (the redirect to "sent" or
"posted") must be in the database, none may be there half-way (a story without its consent rows
or its confirmation email task), and the database's own checks must pass."""

import json
import multiprocessing
import random
import secrets
import statistics
import time
from collections import Counter
from pathlib import Path

import requests

from stress.badinput import hidden_inputs
from stress.client import AddressPool, Visitor, redirected_to
from stress.report import PhaseResult
from stress.site import Site, count_in_log

CLIENTS = 4
# Up-time between kills: long enough for requests to be in flight, short enough for many kills.
UPTIME_SECONDS = (0.3, 1.5)
STORY_SENT = "/stories/share/sent/"
COMMENT_POSTED = "/comments/posted/"


def story_answers(email: str, marker: str) -> dict:
    return {
        "procedure_status": "yes", "treated_month": "3", "treated_year": "2011",
        "country": "PL", "city": "Katowice", "procedure_kind": "balloon", "veins": ["azygos"],
        "result": "little_better", "symptom_fatigue": "better", "change_onset": "week",
        "complications": ["none"], "treated_again": "no", "ms_type": "rrms",
        "title": f"Stress {marker}", "display_name": "Anna", "email": email,
        "body": f"{marker}: my fatigue lifted within a week and my hands were warm.",
        "consent_publish": "on", "consent_statistics": "on",
    }


def submit_once(url: str, source: str, kind: str, story: dict, marker: str) -> dict:
    """One person's submission, start to end; what happened to it."""
    email = f"{marker}@stress.example"
    record = {"kind": kind, "email": email, "outcome": "not sent", "status": None}
    visitor = Visitor(url, source=source)
    if kind == "story":
        path, data, success = "/stories/share/", story_answers(email, marker), STORY_SENT
    else:
        path, success = f"/comments/story/{story['pk']}/write/", COMMENT_POSTED
        data = {"name": "Anna", "email": email, "body": f"{marker}: thank you for writing."}
    try:
        try:
            form = visitor.get(path)
        except requests.RequestException:
            return record  # the server was down: nothing was sent
        if form.status_code != 200:
            record.update(outcome="form not shown", status=form.status_code)
            return record
        fields = {**hidden_inputs(form.text), **data}
        try:
            response = visitor.post(path, fields)
        except requests.RequestException:
            # Sent, but no answer: the server died with it. It may or may not be stored.
            record["outcome"] = "no answer"
            return record
        record["status"] = response.status_code
        record["outcome"] = ("accepted" if redirected_to(response).startswith(success)
                             else "refused")
        return record
    finally:
        visitor.close()


def _client(number: int, url: str, stories: list[dict], out_path: str, stop) -> None:
    """One of the four submitting processes: a story, then two comments, and again."""
    addresses = AddressPool(20 + number)
    rng = random.Random(number)
    with open(out_path, "a", encoding="utf-8") as out:
        sequence = 0
        while not stop.is_set():
            sequence += 1
            kind = "story" if sequence % 3 == 1 else "comment"
            marker = f"f{number}x{sequence}x{secrets.token_hex(3)}"
            record = submit_once(url, addresses.take(), kind, rng.choice(stories), marker)
            out.write(json.dumps(record) + "\n")
            out.flush()
            if record["outcome"] == "not sent":
                time.sleep(0.2)


def run_faults(site: Site, result: PhaseResult, *, kills: int) -> None:
    targets = site.targets()
    # --preload: each restart imports the site once, in the master, instead of once per
    # worker at the same time (most of a start is importing SciPy and Matplotlib). Nothing
    # opens a database connection at import, so the workers share none.
    server = site.server("faults", preload=True)
    server.start()
    outs = [site.workdir / f"faults-client-{number}.jsonl" for number in range(CLIENTS)]
    # fork: the clients start at once and share nothing but the stop flag.
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    clients = [context.Process(target=_client, args=(number, site.url, targets["stories"],
                                                    str(outs[number]), stop), daemon=True)
               for number in range(CLIENTS)]
    for client in clients:
        client.start()
    rng = random.Random(2009)
    restarts = []
    try:
        for _ in range(kills):
            time.sleep(rng.uniform(*UPTIME_SECONDS))
            server.kill()
            restarts.append(server.start())
        time.sleep(2)  # the last run ends cleanly: submissions after the final restart count too
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=30)
            if client.is_alive():
                client.kill()
        server.stop()

    records = [json.loads(line) for out in outs if Path(out).exists()
               for line in Path(out).read_text().splitlines() if line.strip()]
    outcomes = Counter(record["outcome"] for record in records)
    accepted = [record for record in records if record["outcome"] == "accepted"]
    unanswered = [record for record in records if record["outcome"] == "no answer"]
    by_kind = {kind: [r["email"] for r in accepted if r["kind"] == kind]
               for kind in ("story", "comment")}
    found = site.dbtool("verify", {
        "stories": [r["email"] for r in accepted + unanswered if r["kind"] == "story"],
        "comments": [r["email"] for r in accepted + unanswered if r["kind"] == "comment"],
    })
    stored = set(found["stories"]) | set(found["comments"])
    lost = [email for emails in by_kind.values() for email in emails if email not in stored]
    checks = found["integrity"]
    server_errors = [r for r in records if (r["status"] or 0) >= 500]
    refused = Counter(str(r["status"]) for r in records
                      if r["outcome"] in ("refused", "form not shown"))

    result.add("SIGKILLs (master and workers at once)", len(restarts))
    result.add("restart to first answer, median s",
               round(statistics.median(restarts), 2) if restarts else "-")
    result.add("submissions sent", sum(outcomes[o] for o in ("accepted", "refused",
                                                             "no answer")))
    result.add("accepted (stories / comments)",
               f"{len(accepted)} ({len(by_kind['story'])} / {len(by_kind['comment'])})")
    result.add("sent, no answer (cut by a kill)", len(unanswered))
    result.add("  of which stored all the same",
               sum(1 for r in unanswered if r["email"] in stored))
    result.add("refused or form not shown, by status",
               ", ".join(f"{k}: {v}" for k, v in sorted(refused.items())) or "none")
    result.add("lost submissions (accepted, not stored)", len(lost), "0")
    result.add("stored half-way", len(found["half_written"]), "0")
    result.add("5xx responses", len(server_errors), "0")
    for name, value in checks["checks"].items():
        result.add(name, value, "ok")
    result.add("'database is locked' in the server log",
               count_in_log(server.log_text(), "database is locked"), "0")
    result.examples += [f"lost: {email}" for email in lost[:5]]
    result.examples += [f"half-way: {problem}" for problem in found["half_written"][:5]]
    result.examples += [f"integrity: {problem}" for problem in checks["problems"][:5]]
    result.examples += [f"5xx: {r}" for r in server_errors[:5]]
