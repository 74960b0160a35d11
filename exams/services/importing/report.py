"""What an import found: parsed questions, skipped types, errors. Printed by admin and CLI."""

from dataclasses import dataclass, field


@dataclass
class ParsedQuestion:
    number: int
    line: int | None
    name: str
    kind: str
    category: str  # path below the target category ("" = the target itself)
    stem: str
    data: dict
    stem_en: str = ""
    points: float = 1.0
    explanation: str = ""
    difficulty: int = 3
    competencies: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class ImportReport:
    format: str
    target: str
    dry_run: bool
    questions: list[ParsedQuestion] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def where(self, number: int, line: int | None, name: str) -> str:
        place = f"question {number}"
        if line:
            place += f" (line {line})"
        return f"{place} “{name}”" if name else place

    def lines(self) -> list[str]:
        out = [f"Format: {self.format}; target category: {self.target}"]
        if self.errors:
            out.append(f"REJECTED: {len(self.errors)} error(s); nothing was written.")
            out += [f"  error: {error}" for error in self.errors]
            return out
        by_kind: dict[str, int] = {}
        for question in self.questions:
            by_kind[question.kind] = by_kind.get(question.kind, 0) + 1
        summary = ", ".join(f"{kind}: {count}" for kind, count in sorted(by_kind.items()))
        out.append(f"Questions found: {len(self.questions)} ({summary or 'none'})")
        for question in self.questions:
            files = f", {len(question.files)} file(s)" if question.files else ""
            folder = question.category or "."
            out.append(f"  {question.number}. [{question.kind}] {question.name} in {folder}{files}")
        out += [f"  skipped: {item}" for item in self.skipped]
        if self.dry_run:
            out.append("Dry run: nothing was written.")
        else:
            out.append(f"Created {self.created} question(s).")
        return out
