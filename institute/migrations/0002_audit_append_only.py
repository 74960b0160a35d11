"""Audit records are append-only at the database level too (PostgreSQL trigger).

SQLite (the local default) keeps the ORM-level guard only: its test flush deletes rows.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION institute_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS institute_auditrecord_append_only ON institute_auditrecord;
CREATE TRIGGER institute_auditrecord_append_only
    BEFORE UPDATE OR DELETE ON institute_auditrecord
    FOR EACH ROW EXECUTE FUNCTION institute_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS institute_auditrecord_append_only ON institute_auditrecord;
DROP FUNCTION IF EXISTS institute_audit_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("institute", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
