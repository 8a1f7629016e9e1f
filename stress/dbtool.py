"""The stress suite's look into the database, run as its own process with the site's settings:

    python -m stress.dbtool COMMAND < request.json > answer.json

targets    what the bad-input run can aim at (a commentable story, a directory entry, tables)
publish    confirm and approve stories and comments by their email, through the services, as
           an author and a moderator would, so their text reaches the public pages
find       which submissions (by email) are stored, and any stored half-way
integrity  the database's own checks (SQLite integrity_check, foreign_key_check, the search
           index; PostgreSQL amcheck) and a foreign-key orphan count over every model
verify     find and integrity together
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hindsight.settings")


def targets(_request: dict) -> dict:
    from directory.models import DirectoryEntry
    from followups.reminders import follow_up_token
    from outcomes.downloads import TABLES
    from stories.models import Story
    from treatments.models import Treatment

    stories = list(Story.objects.public().order_by("pk").values("pk", "slug"))
    # The follow-up form of a reminder email's link: public to whoever holds the link.
    followed = Story.objects.public().filter(procedure_status="yes", treated_year__lt=2020)
    return {
        "follow_ups": [follow_up_token(story) for story in followed.order_by("pk")],
        "treatment": Treatment.objects.active().values_list("slug", flat=True).first(),
        "stories": stories,
        "entries": list(
            DirectoryEntry.objects.published().order_by("pk").values_list("slug", flat=True)
        ),
        "tables": TABLES,
    }


def publish(request: dict) -> dict:
    """Stories: confirm the email, approve. Comments: confirm the address, approve.
    Follow-ups (by a marker word in their text): approve."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from discussion import services as discussion
    from discussion.models import Comment, Commenter
    from followups import services as followups
    from followups.models import FollowUp
    from stories import services as stories
    from stories.models import Story

    moderator = get_user_model().objects.get(username="moderator")  # made by load_demo
    answer: dict = {"stories": [], "comments": [], "followups": [], "problems": []}
    for email in request.get("stories", []):
        for story in Story.objects.filter(email=email):
            try:
                story = stories.story_confirm_email(story=story)
                story = stories.story_approve(story=story, moderator=moderator)
            except ValidationError as error:
                answer["problems"].append(f"story {email}: approval refused: {error}")
                continue
            answer["stories"].append({"email": email, "url": story.get_absolute_url()})
    for email in request.get("comments", []):
        commenter = Commenter.objects.filter(email=email).first()
        if commenter is None:
            continue
        discussion.commenter_confirm(commenter=commenter)
        for comment in commenter.comments.exclude(status=Comment.Status.PUBLISHED):
            try:
                discussion.comment_approve(comment=comment, moderator=moderator)
            except ValidationError as error:
                answer["problems"].append(f"comment {email}: approval refused: {error}")
        for comment in commenter.comments.filter(status=Comment.Status.PUBLISHED):
            answer["comments"].append({"email": email, "id": comment.pk,
                                       "url": comment.target.get_absolute_url()})
    for marker in request.get("followups", []):
        for followup in FollowUp.objects.filter(body__contains=marker).select_related("story"):
            try:
                followups.followup_approve(followup=followup, moderator=moderator)
            except ValidationError as error:
                answer["problems"].append(f"follow-up {marker}: approval refused: {error}")
                continue
            answer["followups"].append({"marker": marker,
                                        "url": followup.story.get_absolute_url()})
    return answer


def find(request: dict) -> dict:
    """Which of these stories and comments (by the email they were sent with) are stored, and
    which are stored half-way: a story needs its two consent rows and its confirmation-email
    task, an unconfirmed comment its confirmation-email task (each written in one transaction)."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from discussion.models import Comment
    from stories.models import Story

    task_args = {json.dumps(args_kwargs.get("args"))
                 for args_kwargs in DBTaskResult.objects.values_list("args_kwargs", flat=True)}
    found_stories, half = set(), []
    story_emails = list(request.get("stories", []))
    for start in range(0, len(story_emails), 500):
        rows = (Story.objects.filter(email__in=story_emails[start:start + 500])
                .annotate(consent_rows=Count("consents")).values_list("pk", "email",
                                                                         "consent_rows"))
        for pk, email, consent_rows in rows:
            found_stories.add(email)
            if consent_rows != 2:
                half.append(f"story {email}: {consent_rows} consent rows, not 2")
            if json.dumps([pk, "confirm"]) not in task_args:
                half.append(f"story {email}: no confirmation email task")
    found_comments = set()
    comment_emails = list(request.get("comments", []))
    for start in range(0, len(comment_emails), 500):
        rows = (Comment.objects.filter(commenter__email__in=comment_emails[start:start + 500])
                .values_list("pk", "commenter_id", "commenter__email", "status"))
        for pk, commenter_id, email, status in rows:
            found_comments.add(email)
            if status == Comment.Status.UNCONFIRMED and \
                    json.dumps([commenter_id, pk]) not in task_args:
                half.append(f"comment {email}: no confirmation email task")
    return {"stories": sorted(found_stories), "comments": sorted(found_comments),
            "half_written": half}


def _orphans() -> list[str]:
    """Rows whose foreign key points at no row, for every foreign key of every model: the same
    question on both engines (PostgreSQL enforces the constraints; SQLite only when asked)."""
    from django.apps import apps
    from django.db import connection

    quote = connection.ops.quote_name
    problems = []
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if meta.proxy or not meta.managed or meta.db_table not in tables:
                continue
            for field in meta.concrete_fields:
                if not (field.many_to_one or field.one_to_one):
                    continue
                if not getattr(field, "db_constraint", False):
                    continue
                target = field.target_field
                parent = field.related_model._meta.db_table
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(meta.db_table)} c "
                    f"WHERE c.{quote(field.column)} IS NOT NULL AND NOT EXISTS "
                    f"(SELECT 1 FROM {quote(parent)} p "
                    f"WHERE p.{quote(target.column)} = c.{quote(field.column)})"
                )
                count = cursor.fetchone()[0]
                if count:
                    problems.append(f"{meta.db_table}.{field.column}: {count} orphan rows")
    return problems


def integrity(_request: dict) -> dict:
    from django.db import connection

    checks: dict[str, str] = {}
    problems: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA integrity_check")
            rows = [row[0] for row in cursor.fetchall()]
            checks["integrity_check"] = "ok" if rows == ["ok"] else "; ".join(rows[:20])
            cursor.execute("PRAGMA foreign_key_check")
            rows = cursor.fetchall()
            checks["foreign_key_check"] = "ok" if not rows else f"{len(rows)} violations"
            problems += [f"foreign_key_check: {row}" for row in rows[:20]]
            cursor.execute("SELECT name FROM sqlite_master WHERE type='table' "
                           "AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'")
            for (name,) in cursor.fetchall():
                # rank 1: compare the index with the external content table too.
                try:
                    cursor.execute(f"INSERT INTO {name}({name}, rank) "
                                   "VALUES ('integrity-check', 1)")
                    checks[f"{name} integrity-check"] = "ok"
                except Exception as error:  # noqa: BLE001 - the check's answer is the error
                    checks[f"{name} integrity-check"] = f"FAILED: {error}"
        else:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
            cursor.execute(
                "SELECT c.relname FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am am ON am.oid = c.relam "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE am.amname = 'btree' AND n.nspname = 'public' AND i.indisvalid"
            )
            indexes = [row[0] for row in cursor.fetchall()]
            failed = []
            for index in indexes:
                try:
                    # heapallindexed: every row of the table is found through the index.
                    cursor.execute("SELECT bt_index_check(%s::regclass, true)", [index])
                except Exception as error:  # noqa: BLE001 - the check's answer is the error
                    failed.append(f"{index}: {error}")
            checks["amcheck bt_index_check"] = (
                f"ok ({len(indexes)} indexes)" if not failed else f"{len(failed)} failed"
            )
            problems += failed
            cursor.execute(
                "SELECT c.oid::regclass::text FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r'"
            )
            heap_tables = [row[0] for row in cursor.fetchall()]
            corrupt = []
            for table in heap_tables:
                cursor.execute("SELECT count(*) FROM verify_heapam(%s::regclass)", [table])
                if cursor.fetchone()[0]:
                    corrupt.append(table)
            checks["amcheck verify_heapam"] = (
                f"ok ({len(heap_tables)} tables)" if not corrupt else f"corrupt: {corrupt}"
            )
    orphans = _orphans()
    checks["foreign keys (every model)"] = "ok" if not orphans else f"{len(orphans)} broken"
    problems += orphans
    return {"engine": connection.vendor, "checks": checks, "problems": problems,
            "ok": all(value.startswith("ok") for value in checks.values())}


def verify(request: dict) -> dict:
    """find, then integrity: one process instead of two."""
    return {**find(request), "integrity": integrity(request)}


COMMANDS = {"targets": targets, "publish": publish, "find": find, "integrity": integrity,
            "verify": verify}


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command not in COMMANDS:
        sys.exit(f"usage: python -m stress.dbtool {{{','.join(COMMANDS)}}} < request.json")
    django.setup()
    request = json.loads(sys.stdin.read() or "{}")
    json.dump(COMMANDS[command](request), sys.stdout)


if __name__ == "__main__":
    main()
