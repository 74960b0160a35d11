"""Automatic grading of one answer against one question version (pure functions).

Each grader returns a fraction of the question's points in [0, 1], or None when the
answer needs a person (essays). Answers arrive as JSON from the exam page.
"""

import re
from decimal import Decimal

from exams.models import Question


def grade_answer(question: Question, answer) -> Decimal | None:
    if question.kind == Question.Kind.ESSAY:
        return None
    if answer in (None, "", [], {}):
        return Decimal(0)
    grader = GRADERS[question.kind]
    try:
        fraction = Decimal(str(grader(question.data, answer)))
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError):
        # A malformed answer earns nothing; it never breaks grading of the paper.
        # ArithmeticError covers every decimal signal (InvalidOperation, Overflow: "1e999999999").
        fraction = Decimal(0)
    return min(Decimal(1), max(Decimal(0), fraction)).quantize(Decimal("0.00001"))


def _single(data, answer) -> float:
    fractions = {option["id"]: option["fraction"] for option in data["options"]}
    return fractions.get(str(answer), 0)


def _multiple(data, answer) -> float:
    """Sum of the fractions of the chosen options (wrong ones may be negative), like Moodle.

    With `all_or_nothing`, full credit only for exactly the set of options with a
    positive fraction.
    """
    chosen = {str(item) for item in answer}
    fractions = {option["id"]: option["fraction"] for option in data["options"]}
    if data.get("all_or_nothing"):
        correct = {key for key, value in fractions.items() if value > 0}
        return 1 if chosen == correct else 0
    return sum(fractions.get(item, 0) for item in chosen)


def _true_false(data, answer) -> float:
    if isinstance(answer, str):
        answer = answer.lower() == "true"
    return 1 if bool(answer) == bool(data["correct"]) else 0


def parse_number(text) -> Decimal:
    cleaned = str(text).strip().replace(",", "").replace("\u2212", "-")
    return Decimal(cleaned)


def _numeric(data, answer) -> float:
    if isinstance(answer, dict):
        value, unit = answer.get("value"), (answer.get("unit") or "").strip()
    else:
        value, unit = answer, ""
    number = parse_number(value)
    units = {item["unit"]: Decimal(str(item["multiplier"])) for item in data.get("units", [])}
    if units:
        if unit in units:
            number = number / units[unit]
        elif data.get("unit_required"):
            return 0
    best = 0
    for accepted in data["answers"]:
        target = Decimal(str(accepted["value"]))
        tolerance = Decimal(str(accepted.get("tolerance", 0)))
        if abs(number - target) <= tolerance:
            best = max(best, accepted["fraction"])
    return best


def _short_text(data, answer) -> float:
    text = " ".join(str(answer).split())
    case_sensitive = data.get("case_sensitive", False)
    best = 0
    for accepted in data["answers"]:
        pattern = accepted["text"]
        if not case_sensitive:
            text_cmp, pattern = text.lower(), pattern.lower()
        else:
            text_cmp = text
        # `*` is a wildcard (Moodle's rule); everything else is literal.
        regex = "^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$"
        if re.match(regex, text_cmp, flags=re.DOTALL):
            best = max(best, accepted["fraction"])
    return best


def _matching(data, answer) -> float:
    pairs = [pair for pair in data["pairs"] if pair.get("prompt")]
    if not pairs:
        return 0
    right = sum(1 for pair in pairs if str(answer.get(pair["id"], "")) == pair["answer"])
    return right / len(pairs)


def _ordering(data, answer) -> float:
    """Full credit for the right order; otherwise the share of items in the right place."""
    expected = [item["id"] for item in data["items"]]
    given = [str(item) for item in answer]
    if given == expected:
        return 1
    if data.get("all_or_nothing", True):
        return 0
    right = sum(
        1 for index, item in enumerate(expected) if index < len(given) and given[index] == item
    )
    return right / len(expected)


GRADERS = {
    Question.Kind.SINGLE: _single,
    Question.Kind.MULTIPLE: _multiple,
    Question.Kind.TRUE_FALSE: _true_false,
    Question.Kind.NUMERIC: _numeric,
    Question.Kind.SHORT_TEXT: _short_text,
    Question.Kind.MATCHING: _matching,
    Question.Kind.ORDERING: _ordering,
}
