import io
import threading

from django.core.management import call_command
from django.db import connection

from hindsight.testing import valid_story_post
from stories.forms import StoryForm
from stories.models import Story
from stories.services import story_submit


def submit(treatment, number: int, *, email: str | None = None, **answers) -> Story:
    """A story shared through the real form and service, as the share page does."""
    form = StoryForm(valid_story_post(treatment, **{
        "title": f"Story number {number}", "display_name": f"Person {number}",
        "email": email or f"person{number}@example.com", **answers,
    }))
    assert form.is_valid(), form.errors
    return story_submit(story=form.save(commit=False))


def backup(path=None) -> str:
    out = io.StringIO()
    call_command("backup", *(["--output", str(path)] if path else []), stdout=out)
    return out.getvalue().strip()


def restore(path) -> str:
    out = io.StringIO()
    call_command("restore", str(path), "--yes", stdout=out)
    return out.getvalue()


class Writer(threading.Thread):
    """Keeps sharing stories on its own connection until stopped; `committed` lists the ids of
    those whose transaction committed, in order."""

    def __init__(self, treatment) -> None:
        super().__init__(daemon=True)
        self.treatment = treatment
        self.committed: list[int] = []
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            number = 0
            while not self.stop.is_set():
                number += 1
                self.committed.append(submit(self.treatment, number).pk)
        except BaseException as exc:  # reported in the test's own thread
            self.error = exc
        finally:
            connection.close()

    def wait_for(self, count: int, timeout: float = 20) -> None:
        import time

        deadline = time.monotonic() + timeout
        while len(self.committed) < count:
            assert self.error is None, self.error
            assert time.monotonic() < deadline, f"only {len(self.committed)} stories written"
            time.sleep(0.01)

    def finish(self) -> list[int]:
        self.stop.set()
        self.join(timeout=20)
        assert not self.is_alive()
        if self.error is not None:
            raise self.error
        return list(self.committed)


def comment(on: Story, *, email: str, body: str):
    """A published comment written from `email`."""
    from django.contrib.contenttypes.models import ContentType

    from discussion.models import Comment
    from discussion.services import commenter_for

    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(Story), object_id=on.pk,
        commenter=commenter_for(email), name="A reader", body=body,
        status=Comment.Status.PUBLISHED,
    )


def found_anywhere(*words: str) -> list[str]:
    """Which of these words any row of any table still holds, as text, read with raw SQL."""
    text = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            text += [table + ": " + " ".join(str(value) for value in row)
                     for row in cursor.fetchall()]
    return [f"{word} in {line[:200]}" for word in words for line in text
            if word.lower() in line.lower()]
