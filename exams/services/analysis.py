"""Item analysis: facility, corrected point-biserial, option distribution, KR-20 / alpha.

Variances are population variances (divide by N) throughout, as in classical test theory
texts; KR-20 is reported when every item is scored 0/1, Cronbach's alpha always.
"""

import math
from collections import Counter, defaultdict

from django.db import transaction
from django.utils import timezone

from exams.models import Attempt, Exam, ItemAnalysis, Question, Response

LOW_FACILITY, HIGH_FACILITY, LOW_DISCRIMINATION = 0.2, 0.95, 0.2


def _mean(values):
    return sum(values) / len(values) if values else 0.0


def _variance(values):
    mean = _mean(values)
    return _mean([(value - mean) ** 2 for value in values])


def _correlation(xs, ys):
    if len(xs) < 2:
        return None
    mean_x, mean_y = _mean(xs), _mean(ys)
    covariance = _mean([(x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)])
    spread = math.sqrt(_variance(xs) * _variance(ys))
    return covariance / spread if spread else None


def reliability(matrix: list[list[float]]) -> dict:
    """KR-20 and Cronbach's alpha of a complete candidates x items matrix of fractions."""
    items = len(matrix[0]) if matrix else 0
    if items < 2 or len(matrix) < 2:
        return {"kr20": None, "alpha": None}
    totals = [sum(row) for row in matrix]
    total_variance = _variance(totals)
    if not total_variance:
        return {"kr20": None, "alpha": None}
    columns = list(zip(*matrix, strict=True))
    factor = items / (items - 1)
    alpha = factor * (1 - sum(_variance(list(c)) for c in columns) / total_variance)
    dichotomous = all(value in (0, 1) for row in matrix for value in row)
    kr20 = None
    if dichotomous:
        pq = sum(_mean(list(c)) * (1 - _mean(list(c))) for c in columns)
        kr20 = factor * (1 - pq / total_variance)
    return {"kr20": kr20, "alpha": alpha}


def item_statistics(scores: dict[int, dict[int, float]]) -> dict[int, dict]:
    """Per question: facility and point-biserial of the item against the rest of the test."""
    totals = {attempt: sum(items.values()) for attempt, items in scores.items()}
    by_question: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for attempt, items in scores.items():
        for question, value in items.items():
            by_question[question].append((value, totals[attempt] - value))
    result = {}
    for question, pairs in by_question.items():
        values = [value for value, _rest in pairs]
        rests = [rest for _value, rest in pairs]
        result[question] = {
            "n": len(values),
            "facility": _mean(values),
            "discrimination": _correlation(values, rests),
        }
    return result


def _flags(stats: dict) -> list[str]:
    flags = []
    if stats["facility"] < LOW_FACILITY:
        flags.append("too_hard")
    if stats["facility"] > HIGH_FACILITY:
        flags.append("too_easy")
    if stats["discrimination"] is not None and stats["discrimination"] < LOW_DISCRIMINATION:
        flags.append(
            "low_discrimination" if stats["discrimination"] >= 0 else "negative_discrimination"
        )
    return flags


def _option_distribution(responses) -> dict[int, dict]:
    counts: dict[int, Counter] = defaultdict(Counter)
    for response in responses:
        answer = response.answer
        if response.question.kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
            counts[response.question_id][str(answer) if answer not in (None, "") else "—"] += 1
        elif response.question.kind == Question.Kind.MULTIPLE:
            for option in answer or ["—"]:
                counts[response.question_id][str(option)] += 1
    return {question: dict(counter) for question, counter in counts.items()}


@transaction.atomic
def item_analysis_compute(*, exam: Exam) -> ItemAnalysis:
    responses = list(
        Response.objects.filter(attempt__exam=exam, attempt__status=Attempt.Status.GRADED)
        .select_related("question")
        .only(
            "attempt_id",
            "question_id",
            "answer",
            "fraction",
            "question__kind",
            "question__name",
            "question__points",
        )
    )
    scores: dict[int, dict[int, float]] = defaultdict(dict)
    names = {}
    for response in responses:
        scores[response.attempt_id][response.question_id] = float(response.fraction or 0)
        names[response.question_id] = response.question.name
    stats = item_statistics(scores)
    question_ids = sorted(stats)
    complete = [row for row in scores.values() if set(row) == set(question_ids)]
    matrix = [[row[q] for q in question_ids] for row in complete]
    totals = [sum(row.values()) for row in scores.values()]
    distribution = _option_distribution(responses)
    data = {
        "candidates": len(scores),
        "mean": _mean(totals),
        "sd": math.sqrt(_variance(totals)),
        **reliability(matrix),
        "questions": [
            {
                "id": q,
                "name": names[q],
                **stats[q],
                "flags": _flags(stats[q]),
                "options": distribution.get(q, {}),
            }
            for q in question_ids
        ],
    }
    analysis, _created = ItemAnalysis.objects.update_or_create(
        exam=exam, defaults={"computed_at": timezone.now(), "data": data}
    )
    return analysis
