"""Checking every row of a trainee file before anything is written.

Each row becomes a `PersonRow` with an outcome: `create` (a new person), `update` (a person
already here whose details in the file differ), `unchanged` (already here exactly so) or
`invalid` (one or more `RowError`s, each naming the spreadsheet row and the column).
Existing people and organisations are loaded in a few bulk queries, never one per row.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from trainees.models import Organisation, TraineeProfile, User
from trainees.validators import (
    validate_mobile,
    validate_passport_number,
    validate_resident_id,
    validate_uscc,
)

from .parsing import SourceRow

LOOKUP_CHUNK = 500
ID_TYPES = {
    "": TraineeProfile.IdType.RESIDENT,
    "resident": TraineeProfile.IdType.RESIDENT,
    "身份证": TraineeProfile.IdType.RESIDENT,
    "居民身份证": TraineeProfile.IdType.RESIDENT,
    "passport": TraineeProfile.IdType.PASSPORT,
    "护照": TraineeProfile.IdType.PASSPORT,
}
# Profile fields an import sets; an empty optional cell leaves the stored value alone.
PROFILE_FIELDS = ("name_zh", "name_latin", "id_type", "id_number", "mobile", "job_title")
MAX_LENGTHS = {"name_zh": 100, "name_latin": 150, "job_title": 100}


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class PersonRow:
    number: int
    email: str = ""
    values: dict = field(default_factory=dict)  # profile fields given in the file
    credit_code: str = ""
    organisation_id: int | None = None
    user_id: int | None = None
    profile_id: int | None = None
    changes: dict = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    outcome: str = "create"

    def error(self, column: str, message) -> None:
        self.errors.append(RowError(self.number, column, str(message)))
        self.outcome = "invalid"


@dataclass
class ImportCheck:
    rows: list[PersonRow]

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    def rows_with(self, outcome: str) -> list[PersonRow]:
        return [row for row in self.rows if row.outcome == outcome]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("create", "update", "unchanged", "invalid"), 0)
        for row in self.rows:
            counts[row.outcome] += 1
        return counts


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _check_email(person: PersonRow, raw: str) -> None:
    person.email = raw.strip().lower()
    if not person.email:
        person.error("email", _("The email address is missing."))
        return
    try:
        validate_email(person.email)
    except ValidationError:
        person.error("email", _("“%(value)s” is not a valid email address.") % {"value": raw})


def _check_identity(person: PersonRow, values: dict) -> None:
    raw_type = values.get("id_type", "").strip().lower()
    if raw_type not in ID_TYPES:
        person.error(
            "id_type", _("Use resident or passport, not “%(value)s”.") % {"value": raw_type}
        )
        return
    id_type = ID_TYPES[raw_type]
    number = values.get("id_number", "").strip().upper()
    if not number:
        person.error("id_number", _("The ID number is missing."))
        return
    validator = (
        validate_resident_id
        if id_type == TraineeProfile.IdType.RESIDENT
        else validate_passport_number
    )
    try:
        validator(number)
    except ValidationError as error:
        person.error("id_number", _messages(error))
        return
    person.values.update(id_type=id_type, id_number=number)


def _parse_date(text: str) -> datetime.date | None:
    for separator in ("-", "/", "."):
        parts = text.split(separator)
        if len(parts) == 3 and all(part.isdigit() for part in parts) and len(parts[0]) == 4:
            try:
                return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                return None
    return None


def _check_birth_date(person: PersonRow, raw: str) -> None:
    """Not stored (the profile has no such field): it guards against a mistyped ID number."""
    if not raw:
        return
    birth = _parse_date(raw)
    if birth is None:
        person.error(
            "date_of_birth", _("“%(value)s” is not a date; write YYYY-MM-DD.") % {"value": raw}
        )
    elif not datetime.date(1900, 1, 1) <= birth <= datetime.date.today():
        person.error(
            "date_of_birth", _("The date of birth %(value)s is not plausible.") % {"value": raw}
        )
    elif person.values.get("id_type") == TraineeProfile.IdType.RESIDENT:
        number = person.values["id_number"]
        if number[6:14] != birth.strftime("%Y%m%d"):
            person.error(
                "date_of_birth",
                _("The date of birth %(value)s does not match the birth date in the ID number.")
                % {"value": birth.isoformat()},
            )


def _check_texts(person: PersonRow, values: dict) -> None:
    for column, limit in MAX_LENGTHS.items():
        text = values.get(column, "").strip()
        if len(text) > limit:
            person.error(column, _("At most %(limit)s characters.") % {"limit": limit})
        elif text:
            person.values[column] = text
    if not values.get("name_zh", "").strip() and not values.get("name_latin", "").strip():
        person.error("name_zh", _("Give the name in Chinese characters or in Latin script."))
    mobile = values.get("mobile", "").strip()
    if mobile:
        try:
            validate_mobile(mobile)
            person.values["mobile"] = mobile
        except ValidationError as error:
            person.error("mobile", _messages(error))


def _check_credit_code(person: PersonRow, raw: str) -> None:
    code = raw.strip().upper()
    if not code:
        return
    try:
        validate_uscc(code)
        person.credit_code = code
    except ValidationError as error:
        person.error("organisation_credit_code", _messages(error))


def row_check(source: SourceRow) -> PersonRow:
    """Everything that can be checked on the row alone."""
    person = PersonRow(number=source.number)
    values = source.values
    _check_email(person, values.get("email", ""))
    _check_texts(person, values)
    _check_identity(person, values)
    _check_birth_date(person, values.get("date_of_birth", "").strip())
    _check_credit_code(person, values.get("organisation_credit_code", ""))
    return person


def _check_duplicates_in_file(people: list[PersonRow]) -> None:
    """The second (and later) row with an email or ID number already used in the file."""
    first_by_email: dict[str, int] = {}
    first_by_identity: dict[tuple, int] = {}
    for person in people:
        identity = (person.values.get("id_type"), person.values.get("id_number"))
        if person.email in first_by_email:
            message = _("The same email address is in row %(row)s.")
            person.error("email", message % {"row": first_by_email[person.email]})
        elif person.email:
            first_by_email[person.email] = person.number
        if identity in first_by_identity:
            message = _("The same ID number is in row %(row)s.")
            person.error("id_number", message % {"row": first_by_identity[identity]})
        elif identity[1]:
            first_by_identity[identity] = person.number


def _chunks(values: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing_users(emails: list[str]) -> dict[str, dict]:
    fields = ["id", "email", "profile__id", "profile__organisation_id"]
    fields += [f"profile__{name}" for name in PROFILE_FIELDS]
    found = {}
    for chunk in _chunks(emails):
        for user in User.objects.filter(email__in=chunk).values(*fields):
            found[user["email"].lower()] = user
    return found


def _identity_holders(numbers: list[str]) -> dict[tuple, int]:
    found = {}
    for chunk in _chunks(numbers):
        profiles = TraineeProfile.objects.filter(id_number__in=chunk)
        for user_id, id_type, number in profiles.values_list("user_id", "id_type", "id_number"):
            found[(id_type, number)] = user_id
    return found


def _organisation_ids(codes: list[str]) -> dict[str, int]:
    found = {}
    for chunk in _chunks(codes):
        found.update(
            Organisation.objects.filter(credit_code__in=chunk).values_list("credit_code", "id")
        )
    return found


@dataclass
class _Known:
    users: dict[str, dict]
    holders: dict[tuple, int]
    organisations: dict[str, int]
    allowed_organisation_ids: set[int] | None  # None: any organisation (officers)


def _match_organisation(person: PersonRow, known: _Known) -> None:
    allowed = known.allowed_organisation_ids
    if person.credit_code:
        person.organisation_id = known.organisations.get(person.credit_code)
        if person.organisation_id is None:
            person.error(
                "organisation_credit_code",
                _("No organisation with this credit code is registered."),
            )
        elif allowed is not None and person.organisation_id not in allowed:
            person.error(
                "organisation_credit_code",
                _("You may only import into an organisation you manage."),
            )
    elif allowed is not None and "organisation_credit_code" not in {
        e.column for e in person.errors
    }:
        person.error("organisation_credit_code", _("Give the credit code of your organisation."))


def _match_existing(person: PersonRow, current: dict | None, known: _Known) -> None:
    identity = (person.values.get("id_type"), person.values.get("id_number"))
    holder = known.holders.get(identity) if identity[1] else None
    if holder is not None and (current is None or holder != current["id"]):
        person.error("id_number", _("This ID number is already registered to another account."))
    if current is None:
        return
    stored = (current["profile__id_type"], current["profile__id_number"])
    if stored[1] and identity[1] and stored != identity:
        person.error(
            "email", _("This email address belongs to an account with a different ID number.")
        )
    allowed = known.allowed_organisation_ids
    if allowed is not None and current["profile__organisation_id"] not in allowed:
        person.error(
            "email", _("This email address belongs to a person outside your organisation.")
        )
    person.user_id, person.profile_id = current["id"], current["profile__id"]


def _changes(person: PersonRow, current: dict) -> dict:
    changes = {
        name: value
        for name, value in person.values.items()
        if current.get(f"profile__{name}") != value or current["profile__id"] is None
    }
    if person.organisation_id and person.organisation_id != current["profile__organisation_id"]:
        changes["organisation_id"] = person.organisation_id
    return changes


def _match(person: PersonRow, known: _Known) -> None:
    _match_organisation(person, known)
    current = known.users.get(person.email) if person.email else None
    _match_existing(person, current, known)
    if person.errors:
        return
    if current is None:
        person.outcome = "create"
        return
    person.changes = _changes(person, current)
    person.outcome = "update" if person.changes else "unchanged"


def rows_check(
    sources: list[SourceRow], *, allowed_organisation_ids: set[int] | None, progress=None
) -> ImportCheck:
    """Check every row: alone, against the other rows, then against the database."""
    people = []
    for index, source in enumerate(sources):
        people.append(row_check(source))
        if progress is not None and index % 1000 == 999:
            progress(index + 1)
    _check_duplicates_in_file(people)
    known = _Known(
        users=_existing_users(sorted({p.email for p in people if p.email})),
        holders=_identity_holders(
            sorted({p.values["id_number"] for p in people if "id_number" in p.values})
        ),
        organisations=_organisation_ids(sorted({p.credit_code for p in people if p.credit_code})),
        allowed_organisation_ids=allowed_organisation_ids,
    )
    for person in people:
        _match(person, known)
    return ImportCheck(rows=people)
