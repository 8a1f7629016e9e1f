"""Erasures become replayable after a restore: each gets a lasting id, its kind and the ids of
the stories it removed (unknown for erasures made before this, which keep an empty list)."""

import uuid

from django.db import migrations, models


def fill_in(apps, schema_editor):
    ErasureRecord = apps.get_model("accounts", "ErasureRecord")
    for record in ErasureRecord.objects.all().only("pk", "account_erased"):
        record.uid = uuid.uuid4()
        record.kind = "person" if record.account_erased else "story"
        record.save(update_fields=["uid", "kind"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="erasurerecord",
            name="uid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="erasurerecord",
            name="kind",
            field=models.CharField(
                choices=[("story", "one story"), ("person", "a whole person")],
                default="story", max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="erasurerecord",
            name="story_ids",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="erasurerecord",
            name="comments_kept",
            field=models.BooleanField(
                default=False,
                help_text="The person kept the words of their comments, anonymously.",
            ),
        ),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="erasurerecord",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
