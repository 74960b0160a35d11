"""What an import found: parsed questions, skipped types, errors. Printed by admin and CLI."""

from dataclasses import dataclass, field

from django.utils.translation import gettext


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
        if line:
            place = gettext("question %(number)s (line %(line)s)") % {
                "number": number,
                "line": line,
            }
        else:
            place = gettext("question %(number)s") % {"number": number}
        return f"{place} “{name}”" if name else place

    def lines(self) -> list[str]:
        out = [gettext("Format: %(format)s; target category: %(target)s")
               % {"format": self.format, "target": self.target}]  # fmt: skip
        if self.errors:
            out.append(gettext("REJECTED: %(count)s error(s); nothing was written.")
                       % {"count": len(self.errors)})  # fmt: skip
            out += [gettext("  error: %(error)s") % {"error": error} for error in self.errors]
            return out
        by_kind: dict[str, int] = {}
        for question in self.questions:
            by_kind[question.kind] = by_kind.get(question.kind, 0) + 1
        summary = ", ".join(f"{kind}: {count}" for kind, count in sorted(by_kind.items()))
        out.append(gettext("Questions found: %(count)s (%(summary)s)")
                   % {"count": len(self.questions), "summary": summary or gettext("none")})  # fmt: skip
        for question in self.questions:
            files = (gettext(", %(count)s file(s)") % {"count": len(question.files)}
                     if question.files else "")  # fmt: skip
            folder = question.category or "."
            out.append(f"  {question.number}. [{question.kind}] {question.name} → {folder}{files}")
        out += [gettext("  skipped: %(item)s") % {"item": item} for item in self.skipped]
        if self.dry_run:
            out.append(gettext("Dry run: nothing was written."))
        else:
            out.append(gettext("Created %(count)s question(s).") % {"count": self.created})
        return out
