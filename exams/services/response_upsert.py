"""The answer save as one statement: insert the response, or update it when this save is not
older than the stored one, only for a question on the attempt's paper.

One round trip instead of four (paper check, read, insert or update), on PostgreSQL and SQLite
alike (both have INSERT ... ON CONFLICT ... DO UPDATE ... WHERE ... RETURNING).
"""

from django.db import connection

from exams.models import AttemptQuestion, Response

_UPSERT = """
INSERT INTO {response} (attempt_id, question_id, answer, revision, client_timestamp, saved_at,
                        grader_comment, rubric_scores)
SELECT %s, %s, %s, 1, %s, %s, '', %s FROM {slot} WHERE attempt_id = %s AND question_id = %s
ON CONFLICT (attempt_id, question_id) DO UPDATE SET
    answer = excluded.answer,
    revision = {response}.revision + 1,
    client_timestamp = excluded.client_timestamp,
    saved_at = excluded.saved_at
WHERE excluded.client_timestamp >= {response}.client_timestamp
RETURNING revision
"""


def _prepared(field_name: str, value):
    return Response._meta.get_field(field_name).get_db_prep_save(value, connection)


def response_upsert(*, attempt_id: int, question_id: int, answer, client_timestamp: int, now):
    """The new revision, or None when nothing was written (an older save, or not on the paper)."""
    quote = connection.ops.quote_name
    sql = _UPSERT.format(
        response=quote(Response._meta.db_table), slot=quote(AttemptQuestion._meta.db_table)
    )
    parameters = [
        attempt_id,
        question_id,
        _prepared("answer", answer),
        client_timestamp,
        _prepared("saved_at", now),
        _prepared("rubric_scores", {}),
        attempt_id,
        question_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        row = cursor.fetchone()
    return row[0] if row else None
