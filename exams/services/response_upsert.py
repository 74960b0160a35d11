"""The answer save as one statement: insert the response, or update it when this save is not
older than the stored one, only for a question on the attempt's paper and only while the
attempt is open (started, deadline not passed).

One round trip instead of six (lock the attempt, paper check, read, insert or update, in a
transaction), on PostgreSQL and SQLite alike (both have INSERT ... ON CONFLICT ... DO UPDATE
... WHERE ... RETURNING). The statement is its own transaction.

Ordering against a submit: on PostgreSQL the statement takes a share lock on the attempt row
(FOR SHARE). A submit (UPDATE of that row) that came first makes the save wait for its commit
and then see the attempt submitted: nothing is written and the candidate is told. A save that
came first makes the submit wait until the answer is committed, so it is graded. SQLite
serialises writers, which gives the same two outcomes.
"""

from django.db import connection

from exams.models import Attempt, AttemptQuestion, Response

_UPSERT = """
INSERT INTO {response} (attempt_id, question_id, answer, revision, client_timestamp, saved_at,
                        grader_comment, rubric_scores)
SELECT %s, %s, %s, 1, %s, %s, '', %s
FROM {slot} JOIN {attempt} ON {attempt}.id = {slot}.attempt_id
WHERE {slot}.attempt_id = %s AND {slot}.question_id = %s
    AND {attempt}.status = %s AND {attempt}.deadline >= %s
{lock}
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


def _sql() -> str:
    quote = connection.ops.quote_name
    attempt = quote(Attempt._meta.db_table)
    lock = f"FOR SHARE OF {attempt}" if connection.vendor == "postgresql" else ""
    return _UPSERT.format(
        response=quote(Response._meta.db_table),
        slot=quote(AttemptQuestion._meta.db_table),
        attempt=attempt,
        lock=lock,
    )


def response_upsert(*, attempt_id: int, question_id: int, answer, client_timestamp: int, now):
    """The new revision, or None when nothing was written (an older save, a question not on the
    paper, or an attempt no longer open: the caller tells which)."""
    saved_at = _prepared("saved_at", now)
    parameters = [
        attempt_id,
        question_id,
        _prepared("answer", answer),
        client_timestamp,
        saved_at,
        _prepared("rubric_scores", {}),
        attempt_id,
        question_id,
        Attempt.Status.STARTED.value,
        saved_at,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_sql(), parameters)
        row = cursor.fetchone()
    return row[0] if row else None
