"""A fresh site starts with its fixed pages written, and moderators may edit them.

The text comes from `pages.content` as it is when this runs; pages that already exist are left
alone. The Moderators group (made here if it does not exist yet, as the demo loader and the
tests also do) gets the right to view and change site pages, not to add or delete them."""

from django.db import migrations

RIGHTS = [("view_sitepage", "Can view site page"), ("change_sitepage", "Can change site page")]


def create_pages(apps, schema_editor):
    from hindsight.lib.markdown import render_editor_markdown
    from pages.content import default_pages

    SitePage = apps.get_model("pages", "SitePage")
    for fields in default_pages():
        slug = fields.pop("slug")
        SitePage.objects.get_or_create(
            slug=slug, defaults={**fields, "body_html": render_editor_markdown(fields["body"])}
        )


def grant_moderators(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Permissions are normally made after migrating; make these two now so they can be granted.
    content_type, _ = ContentType.objects.get_or_create(app_label="pages", model="sitepage")
    group, _ = Group.objects.get_or_create(name="Moderators")
    for codename, name in RIGHTS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_pages, migrations.RunPython.noop),
        migrations.RunPython(grant_moderators, migrations.RunPython.noop),
    ]
