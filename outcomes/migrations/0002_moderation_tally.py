import django.db.models.deletion
from django.db import migrations, models


def build_rows(apps, schema_editor):
    # Rows for stories and follow-ups that existed before this table; uses the current code on
    # purpose, as 0001 does (derived data: `manage.py rebuild_outcomes` does the same).
    from outcomes.tallies import rebuild_moderation_tallies

    rebuild_moderation_tallies()


class Migration(migrations.Migration):

    dependencies = [
        ('outcomes', '0001_counted_people'),
        ('stories', '0006_submitted_default'),
        ('treatments', '0002_evidence_items'),
    ]

    operations = [
        migrations.CreateModel(
            name='ModerationTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('story', 'Story'), ('followup', 'Followup')], max_length=10)),
                ('status', models.CharField(max_length=20)),
                ('result', models.CharField(blank=True, max_length=20)),
                ('reports', models.PositiveIntegerField()),
                ('story', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='stories.story')),
                ('treatment', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='treatments.treatment')),
            ],
            options={
                'indexes': [models.Index(fields=['treatment', 'kind', 'status', 'result', 'reports'], name='outcomes_tally_panel_idx')],
            },
        ),
        migrations.RunPython(build_rows, migrations.RunPython.noop),
    ]
