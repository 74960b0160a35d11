"""`python -m tests.faults.exam_seed`: a trainee in an exam, in the database of DATABASE_URL.

Run by the PostgreSQL fault test against its private cluster (the app under test runs in
another process there). Prints JSON: the attempt id, question ids and the trainee's API token.
"""

import json
import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "institute.settings")
    django.setup()
    from rest_framework.authtoken.models import Token

    from exams.services.attempts import attempt_start
    from tests.exams.factories import QuestionFactory, exam_with_questions
    from tests.factories import make_user

    trainee = make_user()
    questions = [QuestionFactory(kind="shorttext") for _ in range(6)]
    attempt = attempt_start(exam=exam_with_questions(questions), user=trainee)
    token = Token.objects.create(user=trainee)
    print(
        json.dumps(
            {"attempt": attempt.pk, "questions": [q.pk for q in questions], "token": token.key}
        )
    )


if __name__ == "__main__":
    main()
