"""Pages for people (mounted under the language prefix, before Wagtail's catch-all)."""

from django.urls import path

from . import downloads, views, views_export, views_imports, views_organisation

urlpatterns: list = [
    path("verify/<str:number>/", views.credential_verify, name="credential-verify"),
    path("register/", views.register, name="credential-register"),
    path("certification/", views.certification_home, name="certification-home"),
    path(
        "certification/schemes/<slug:scheme_code>/apply/",
        views.application_create,
        name="application-create",
    ),
    path("certification/applications/", views.application_list, name="application-list"),
    path(
        "certification/applications/<int:pk>/",
        views.application_detail,
        name="application-detail",
    ),
    path(
        "certification/applications/<int:pk>/decide/",
        views.application_decide,
        name="application-decide",
    ),
    path(
        "certification/applications/<int:pk>/evidence/",
        views.evidence_create,
        name="evidence-create",
    ),
    path(
        "certification/credentials/<str:number>/",
        views.credential_detail,
        name="credential-detail",
    ),
    path(
        "certification/applications/<int:pk>/evidence/<int:evidence_pk>/",
        downloads.evidence_file,
        name="evidence-file",
    ),
    path(
        "certification/credentials/<str:number>/certificate.pdf",
        downloads.certificate_pdf,
        name="credential-pdf",
    ),
    path(
        "certification/credentials/<str:number>/action/",
        views.credential_action,
        name="credential-action",
    ),
    path("certification/my-data/", views_export.my_data, name="my-data"),
    path("certification/cpd/", views.cpd_ledger, name="cpd-ledger"),
    path("certification/cpd/<int:pk>/review/", views.cpd_review, name="cpd-review"),
    path(
        "certification/cpd/<int:pk>/evidence/",
        downloads.cpd_evidence_file,
        name="cpd-evidence-file",
    ),
    path("certification/import/", views_imports.trainee_import, name="trainee-import"),
    path(
        "certification/import/template.<str:extension>",
        views_imports.trainee_import_template,
        name="trainee-import-template",
    ),
    path(
        "certification/import/<uuid:pk>/",
        views_imports.trainee_import_job,
        name="trainee-import-job",
    ),
    path(
        "certification/import/<uuid:pk>/confirm/",
        views_imports.trainee_import_confirm,
        name="trainee-import-confirm",
    ),
    path("organisation/", views_organisation.organisation_list, name="organisation-list"),
    path(
        "organisation/<int:pk>/staff/",
        views_organisation.organisation_staff_status,
        name="organisation-staff-status",
    ),
    path(
        "organisation/<int:pk>/staff/apply/",
        views_organisation.organisation_staff_apply,
        name="organisation-staff-apply",
    ),
]
