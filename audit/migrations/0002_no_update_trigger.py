"""The database itself refuses to change an audit event, whatever code or SQL asks: a trigger
aborts every UPDATE of the table. (DELETE is refused by the model; a database-level refusal
would also stop the test runner emptying tables between tests.)"""

from django.db import migrations

MESSAGE = "audit events are append-only"

SQLITE = [
    f"""CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_auditevent_no_update"]

POSTGRESQL = [
    f"""CREATE FUNCTION audit_auditevent_refuse_update() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_update()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_refuse_update()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
