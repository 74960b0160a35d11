"""Bulk import of trainees from the documented CSV/XLSX template (`trainees/IMPORT_TEMPLATE.md`).

`parsing` reads the file, `validation` checks every row (nothing is written), `writing`
writes a checked file in one transaction, `services` runs both as background jobs, and
`invitations` emails the new people a link to set their password.
"""

from . import rules  # noqa: F401 - registers the "trainees.import_trainees" permission
