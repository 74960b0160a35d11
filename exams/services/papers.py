"""What a candidate sees of a question: the frozen layout and the key-free projection.

This module is the single gate between stored questions (which hold answer keys) and any
payload or page. Nothing else serializes `Question.data`.
"""

import random

from exams.models import Question


def layout_freeze(question: Question, *, shuffle: bool, rng: random.Random) -> dict:
    """Fix the order of options/items for one attempt so reloads show the same paper."""
    data = question.data
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        ids = [option["id"] for option in data["options"]]
        if shuffle:
            rng.shuffle(ids)
        return {"options": ids}
    if question.kind == Question.Kind.MATCHING:
        prompts = [pair["id"] for pair in data["pairs"] if pair.get("prompt")]
        choices = sorted({pair["answer"] for pair in data["pairs"] if pair.get("answer")})
        rng.shuffle(choices)
        return {"prompts": prompts, "choices": choices}
    if question.kind == Question.Kind.ORDERING:
        # The stored order is the key: the paper always shows a different one.
        ids = [item["id"] for item in data["items"]]
        shuffled = ids[:]
        for _ in range(10):
            rng.shuffle(shuffled)
            if shuffled != ids:
                break
        return {"items": shuffled}
    return {}


def _by_id(entries: list, ids: list) -> list:
    index = {entry["id"]: entry for entry in entries}
    return [{"id": key, "text": index[key].get("text", "")} for key in ids if key in index]


def question_public(question: Question, layout: dict) -> dict:
    """The key-free view of a question: stem, type, points and the choices to pick from."""
    data = question.data
    public = {
        "id": question.pk,
        "kind": question.kind,
        "stem": question.stem,
        "points": float(question.points),
    }
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        public["options"] = _by_id(data["options"], layout.get("options", []))
    elif question.kind == Question.Kind.MATCHING:
        prompts = {pair["id"]: pair["prompt"] for pair in data["pairs"] if pair.get("prompt")}
        public["prompts"] = [{"id": key, "text": prompts[key]} for key in layout["prompts"]]
        public["choices"] = list(layout["choices"])
    elif question.kind == Question.Kind.ORDERING:
        public["items"] = _by_id(data["items"], layout.get("items", []))
    elif question.kind == Question.Kind.NUMERIC:
        public["units"] = [unit["unit"] for unit in data.get("units", [])]
    elif question.kind == Question.Kind.ESSAY:
        public["template"] = data.get("template", "")
    return public


def question_key(question: Question) -> dict:
    """The right answer in the same vocabulary as answers (for review when the policy allows)."""
    data = question.data
    kind = question.kind
    if kind == Question.Kind.SINGLE:
        return {"answer": next(o["id"] for o in data["options"] if o["fraction"] == 1)}
    if kind == Question.Kind.MULTIPLE:
        return {"answer": [o["id"] for o in data["options"] if o["fraction"] > 0]}
    if kind == Question.Kind.TRUE_FALSE:
        return {"answer": data["correct"]}
    if kind == Question.Kind.NUMERIC:
        best = next(a for a in data["answers"] if a["fraction"] == 1)
        return {"answer": best["value"], "tolerance": best.get("tolerance", 0)}
    if kind == Question.Kind.SHORT_TEXT:
        return {"answer": [a["text"] for a in data["answers"] if a["fraction"] == 1]}
    if kind == Question.Kind.MATCHING:
        return {"answer": {p["id"]: p["answer"] for p in data["pairs"] if p.get("prompt")}}
    if kind == Question.Kind.ORDERING:
        return {"answer": [item["id"] for item in data["items"]]}
    return {"rubric": data.get("rubric", [])}
