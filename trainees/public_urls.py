"""Machine-readable public routes that are never language-prefixed (e.g. `/.well-known/`)."""

from django.urls import path

from . import public_views

urlpatterns: list = [
    path(".well-known/did.json", public_views.did_json, name="did-document"),
    path(
        "credentials/status/<str:purpose>/<int:number>",
        public_views.status_list,
        name="credential-status-list",
    ),
]
