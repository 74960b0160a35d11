"""Every URL pattern of the project, made concrete with the victim's objects.

A pattern whose parameters no filler knows makes the sweep fail ("add a filler for <name> in
<pattern>"), so a new endpoint is swept as soon as it is routed.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

# Wagtail-internal ids for which the world has no object of the victim's (editing sessions,
# workflow task states, translation segments, upload batches...). A missing id still sweeps
# the view: it must answer 404 or refuse, never 500.
MISSING_ID = 999999
MISSING_ID_PARAMS = {
    "task_state_id",
    "workflow_state_id",
    "translation_id",
    "string_segment_id",
    "overridable_segment_id",
    "translation_source_id",
    "uploaded_file_id",
    "session_id",
    "query_id",
    "redirect_id",
    "restriction_id",
    "page_view_restriction_id",
    "task_id",
    "doc_id",
    "document_id",
    "image_id",
    "workflow_pk",
}

# Patterns skipped, each with its reason. Keep this short.
SKIPPED = {
    "admin/logout/": "logs the persona out (a POST would end the session under test)",
    "accounts/logout/": "logs the persona out (a POST would end the session under test)",
    "admin/test404/": "Wagtail's own deliberate 404 page",
    "admin/failwhale/": "Wagtail's own deliberate error page for designers",
}

# Which of the victim's objects a `pk` (or `<str:pk>`) stands for under each admin area.
ADMIN_PK_KEYS = [
    (r"^admin/exams/exams/", "exam"),
    (r"^admin/exams/questions/", "question"),
    (r"^admin/exams/categories/", "category"),
    (r"^admin/exams/sections/", "section"),
    (r"^admin/exams/accommodations/", "accommodation"),
    (r"^admin/users/", "victim"),
    (r"^admin/groups/", "trainee_group"),
    (r"^admin/sites/", "site"),
    (r"^admin/schemes/", "scheme"),
    (r"^admin/scheme_versions/", "scheme_version"),
    (r"^admin/organisations/", "organisation"),
    (r"^admin/locales/", "locale"),
    (r"^admin/credentials/", "credential"),
    (r"^admin/cpd_activities/", "cpd"),
    (r"^admin/competencies/", "competency"),
    (r"^admin/certification_applications/", "application"),
    (r"^admin/audit_log/", "audit"),
    (r"^admin/rubric/", "criterion"),
    (r"^admin/practice_sessions/", "session"),
    (r"^admin/organisation_api_tokens/", "org_token"),
    (r"^admin/collections/", "collection"),
    (r"^admin/workflows/tasks/", "workflow_task"),
    (r"^admin/workflows/", "workflow"),
    (r"^admin/api/main/\^pages/", "course"),
    (r"^admin/settings/", "site_identity"),
    (r"^admin/pages/", "course"),
    (r"^admin/localize/", "credential"),
    (r"^admin/(images|documents)/chooser/", None),
    (r"^admin/api/main/\^(images|documents)/", None),
]

PARAM_KEYS = {
    "page_id": "course",
    "parent_page_id": "course",
    "page_to_move_id": "course",
    "page_pk": "course",
    "destination_id": "catalogue",
    "revision_id": "revision",
    "revision_id_a": "revision",
    "revision_id_b": "revision",
    "collection_id": "collection",
    "question_id": "question",
    "evidence_pk": "evidence",
    "object_id": "course",
    "scheme_code": "scheme",
}

# Slugs and strings that name something rather than point at a row.
PARAM_WORDS = {
    "app_label": "courses",
    "app_name": "cms",
    "content_type_app_name": "courses",
    "model_name": "coursepage",
    "content_type_model_name": "coursepage",
    "action": "delete",
    "action_name": "delete",
    "filter_spec": "fill-100x100",
    "mode": "default",
    "purpose": "revocation",
    "uidb64": "MQ",
    "token": "set-password",
    "key": "sweep-key",
    "uidb36": "1",
    "report": "credentials",
    "extension": "csv",
}

# Regular-expression patterns with unnamed groups or free paths: concrete examples.
REGEX_EXAMPLES = {
    r"^media/(?P<path>.+)$": lambda world: [
        f"/media/{world.objects['evidence'].file.name}",
        f"/media/{world.objects['cpd'].evidence.name}",
        f"/media/{world.objects['job'].output_file.name}",
        f"/media/{world.objects['credential'].pdf.name}",
    ],
    r"documents/^(\d+)/(.*)$": lambda world: [f"/documents/{MISSING_ID}/sweep.pdf"],
    r"^((?:[\w\-]+/)*)$": lambda world: [
        world.objects["course"].url,
        world.objects["lesson"].url,
    ],
    r"admin/^.*": lambda world: ["/admin/sweep-unknown/"],
    r"admin/^.*/$": lambda world: ["/admin/sweep-unknown/"],
    r"admin/pages/^(?P<pk>\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\d+)\.\.\.(?P<revision_id_b>live|latest|\d+)/$": lambda world: [
        f"/admin/pages/{world.objects['course'].pk}/revisions/compare/earliest...latest/"
    ],
    r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": lambda world: [
        f"/accounts/password/reset/key/{world.victim.pk}-set-password/"
    ],
}


class MissingFiller(Exception):
    pass


@dataclass
class Endpoint:
    route: str  # the pattern as written, prefixes joined
    pattern: URLPattern
    paths: list[str]
    owned_keys: set[str]  # the victim's objects the paths point at

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/v1/")


def iter_patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from iter_patterns(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def _admin_key(route: str) -> str | None:
    for expression, key in ADMIN_PK_KEYS:
        if re.search(expression, route):
            if key is None:
                return None
            return key
    raise MissingFiller(f"add a filler for pk in {route}")


def _value(world, route: str, name: str, used: set) -> str:
    if name in MISSING_ID_PARAMS:
        return str(MISSING_ID)
    if name in PARAM_WORDS:
        return PARAM_WORDS[name]
    key = PARAM_KEYS.get(name)
    if name in ("pk", "number") or key is None:
        key = _route_key(route, name)
    if key is None:
        return str(MISSING_ID)
    used.add(key)
    value = world.objects[key]
    if name == "scheme_code":
        return value.code
    if key == "credential" and name == "number":
        return value.number
    return str(value.pk)


def _route_key(route: str, name: str) -> str | None:
    if route.startswith("admin/"):
        return _admin_key(route)
    for expression, key in ROUTE_KEYS:
        if name in ("pk", "number", "token") and re.search(expression, route):
            return key
    raise MissingFiller(f"add a filler for {name} in {route}")


# `pk`, `number` and `token` outside the admin, by route.
ROUTE_KEYS = [
    (r"^api/v1/jobs/|^jobs/|^certification/import/<uuid", "job"),
    (r"courses/<int:pk>", "course"),
    (r"lessons/<int:pk>", "lesson"),
    (r"^api/v1/exams/<int:pk>|^exams/<int:pk>", "exam"),
    (r"attempts/<int:pk>", "attempt"),
    (r"credentials/<str:number>", "credential"),
    (r"^verify/<str:number>", "credential"),
    (r"credentials/status/", "status_list"),
    (r"organisation/staff/<int:pk>", "victim"),
    (r"^organisation/<int:pk>", "organisation"),
    (r"sessions/<int:pk>", "session"),
    (r"bookings/<int:pk>", "booking"),
    (r"enrolments/<int:pk>", "enrolment"),
    (r"grading/<int:pk>", "pending_response"),
    (r"categories/<int:pk>", "category"),
    (r"applications/<int:pk>", "application"),
    (r"cpd/<int:pk>", "cpd"),
    (r"check-in/<str:token>", "booking_token"),
]

_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


def concrete(world, route: str) -> tuple[list[str], set[str]]:
    """The paths to request for one pattern, and the keys of the victim's objects in them."""
    if route in REGEX_EXAMPLES:
        paths = REGEX_EXAMPLES[route](world)
        return paths, {"evidence", "cpd", "job", "credential"} if "media" in route else set()
    used: set[str] = set()

    def replace(match):
        name = match.group("name") or match.group("group")
        if match.group("converter") == "str" and name == "token":
            key = "session_token" if "learning/check-in" in route else "booking_token"
            used.add("session" if key == "session_token" else "booking")
            return world.objects[key]
        return _value(world, route, name, used)

    path = _PARAMETER.sub(replace, route).replace("^", "").replace("$", "")
    if re.search(r"[()\\\[\]*+?]", path):
        raise MissingFiller(f"add an example to REGEX_EXAMPLES for {route}")
    return ["/" + path], used


def endpoints(world) -> tuple[list[Endpoint], list[str]]:
    """All swept endpoints, and the problems found building them (missing fillers...)."""
    found, problems = [], []
    for route, pattern in iter_patterns():
        if route in SKIPPED:
            continue
        try:
            paths, used = concrete(world, route)
        except MissingFiller as missing:
            problems.append(str(missing))
            continue
        for path in paths:
            problems += _check_resolves(path, pattern, route)
        found.append(Endpoint(route, pattern, paths, used))
    return found, problems


def _check_resolves(path: str, pattern: URLPattern, route: str) -> list[str]:
    """The filled path must reach the pattern it was built from (or the sweep tests nothing)."""
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return [f"{path} (from {route}) does not resolve"]
    if match.func is not pattern.callback and match.route == route:
        return []  # shadowed by an earlier pattern of the same route: unreachable
    if match.func is not pattern.callback:
        return [f"{path} (from {route}) reaches {match.route}, not the pattern itself"]
    return []
