"""Who may import trainees (django-rules): officers, and managers into their own organisation.

Which organisations a manager may fill is decided row by row in the validation
(`services.import_organisation_ids`); this only opens the pages.
"""

import rules


@rules.predicate
def may_import_trainees(user):
    from .services import may_import

    return may_import(user)


rules.add_perm("trainees.import_trainees", may_import_trainees)
