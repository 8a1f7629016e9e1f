from django.db import migrations

RIGHTS = [("view_outcomesrelease", "Can view outcomes release"),
          ("release_figures", "Can release the figures now")]


def grant_moderators(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Permissions are normally made after migrating; make these now so they can be granted.
    content_type, _ = ContentType.objects.get_or_create(app_label="outcomes",
                                                        model="outcomesrelease")
    group, _ = Group.objects.get_or_create(name="Moderators")
    for codename, name in RIGHTS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0005_releases"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_moderators, migrations.RunPython.noop)]
