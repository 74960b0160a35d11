"""Indexes for the officer reports and the public register at 100,000 trainees (PostgreSQL).

Measured with `manage.py benchmark --scenario officer-reports` (see trainees/benchmark_reports):
the register search looks people up by exact Chinese name, by Latin name ignoring case, and
organisations by part of their name, and credentials by number ignoring case. These are
expression and trigram indexes that only PostgreSQL has; SQLite (development, tests) skips
them. Nothing in the models changes, so the migration state stays as it was.
"""

from django.db import migrations

INDEXES = [
    ("trainees_profile_name_zh", "trainees_traineeprofile (name_zh)"),
    ("trainees_profile_name_latin_upper", "trainees_traineeprofile (UPPER(name_latin))"),
    ("trainees_credential_number_upper", "trainees_credential (UPPER(number))"),
    # icontains is UPPER(column) LIKE UPPER('%q%'): a trigram index answers it without a scan.
    (
        "trainees_organisation_name_zh_trgm",
        "trainees_organisation USING gin (UPPER(name_zh) gin_trgm_ops)",
    ),
    (
        "trainees_organisation_name_en_trgm",
        "trainees_organisation USING gin (UPPER(name_en) gin_trgm_ops)",
    ),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
    # Statistics of the new expressions: without them the planner guesses 0.5% of the rows
    # match UPPER(number) = %s and scans every credential.
    for table in ("trainees_traineeprofile", "trainees_credential", "trainees_organisation"):
        schema_editor.execute(f"ANALYZE {table}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("trainees", "0008_retired_status_index")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
