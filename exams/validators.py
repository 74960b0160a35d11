"""Checks of a question's type-specific `data` (the shape the graders and the paper rely on)."""

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "p", "br", "b", "strong", "i", "em", "u", "sub", "sup", "span", "div", "ul", "ol", "li",
    "img", "a", "table", "thead", "tbody", "tr", "td", "th", "code", "pre", "blockquote", "h3", "h4",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "img": {"src", "alt", "width", "height"},
    "a": {"href", "title"},
    "*": {"lang"},
}


def clean_html(html: str) -> str:
    """Imported and authored HTML keeps formatting and images, never scripts or handlers."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES).strip()


def _require(condition: bool, message: str, errors: list) -> None:
    if not condition:
        errors.append(message)


def _choice_errors(data, kind) -> list[str]:
    errors: list[str] = []
    options = data.get("options") or []
    _require(len(options) >= 2, _("A choice question needs at least two options."), errors)
    for option in options:
        _require(
            bool(option.get("id")) and "text" in option,
            _("Every option needs an id and a text."),
            errors,
        )
        fraction = option.get("fraction")
        _require(
            isinstance(fraction, int | float) and -1 <= fraction <= 1,
            _("Option grades must be between -100% and 100%."),
            errors,
        )
    if errors:
        return errors
    best = max(option["fraction"] for option in options)
    if kind == "single":
        _require(best == 1, _("A single-choice question needs one option worth 100%."), errors)
    else:
        positive = sum(option["fraction"] for option in options if option["fraction"] > 0)
        _require(
            abs(positive - 1) < 0.001, _("The positive option grades must add up to 100%."), errors
        )
    return errors


def _numeric_errors(data) -> list[str]:
    errors: list[str] = []
    answers = data.get("answers") or []
    _require(bool(answers), _("A numeric question needs at least one accepted value."), errors)
    for answer in answers:
        try:
            float(answer["value"]), float(answer.get("tolerance", 0))
        except (KeyError, TypeError, ValueError):
            errors.append(_("Numeric answers need a number and a tolerance."))
    _require(
        any(a.get("fraction") == 1 for a in answers),
        _("One numeric answer must be worth 100%."),
        errors,
    )
    return errors


def _short_text_errors(data) -> list[str]:
    answers = data.get("answers") or []
    if not any(a.get("fraction") == 1 and a.get("text") for a in answers):
        return [_("A short-text question needs an accepted answer worth 100%.")]
    return []


def _matching_errors(data) -> list[str]:
    pairs = [pair for pair in data.get("pairs") or [] if pair.get("prompt")]
    if len(pairs) < 2 or not all(pair.get("id") and pair.get("answer") for pair in pairs):
        return [_("A matching question needs at least two complete pairs.")]
    return []


def _ordering_errors(data) -> list[str]:
    items = data.get("items") or []
    if len(items) < 2 or not all(item.get("id") and item.get("text") for item in items):
        return [_("An ordering question needs at least two items.")]
    return []


def question_data_errors(kind: str, data: dict) -> list[str]:
    if kind in ("single", "multiple"):
        return _choice_errors(data, kind)
    if kind == "truefalse":
        return (
            []
            if isinstance(data.get("correct"), bool)
            else [_("Say whether the statement is true.")]
        )
    if kind == "numeric":
        return _numeric_errors(data)
    if kind == "shorttext":
        return _short_text_errors(data)
    if kind == "matching":
        return _matching_errors(data)
    if kind == "ordering":
        return _ordering_errors(data)
    return []


def validate_question_data(kind: str, data: dict) -> None:
    errors = question_data_errors(kind, data)
    if errors:
        raise ValidationError({"data": errors})
