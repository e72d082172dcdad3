"""The trust ledger is append-only, and the database itself says so.

PostgreSQL: triggers reject UPDATE and DELETE of any entry, and TRUNCATE of a ledger that
holds entries (emptying an already empty table destroys nothing, and the test harness
empties tables between tests). SQLite: triggers reject UPDATE and DELETE.
"""

from django.db import migrations

TABLE = "trustaccount_trustentry"

POSTGRES_UP = f"""
CREATE FUNCTION trustaccount_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM {TABLE}) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'the trust ledger is append-only: ' || TG_OP || ' is not allowed',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trustentry_no_update_or_delete BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION trustaccount_refuse_change();
CREATE TRIGGER trustentry_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION trustaccount_refuse_change();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER trustentry_no_truncate ON {TABLE};
DROP TRIGGER trustentry_no_update_or_delete ON {TABLE};
DROP FUNCTION trustaccount_refuse_change();
"""
SQLITE_UP = [
    f"""CREATE TRIGGER trustentry_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'the trust ledger is append-only: UPDATE is not allowed'); END;""",
    f"""CREATE TRIGGER trustentry_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'the trust ledger is append-only: DELETE is not allowed'); END;""",
]
SQLITE_DOWN = ["DROP TRIGGER trustentry_no_update;", "DROP TRIGGER trustentry_no_delete;"]


def create_triggers(apps, schema_editor):
    statements = {"postgresql": [POSTGRES_UP], "sqlite": SQLITE_UP}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    statements = {"postgresql": [POSTGRES_DOWN], "sqlite": SQLITE_DOWN}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("trustaccount", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
