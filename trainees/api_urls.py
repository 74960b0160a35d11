"""Routes under `/api/v1/` contributed by this app."""

from django.urls import path

from . import api_certification as api
from . import api_organisation

urlpatterns: list = [
    path("credentials/<str:number>/", api.CredentialStatusView.as_view(), name="api-credential"),
    path(
        "credentials/<str:number>/ob3.json",
        api.CredentialOb3JsonView.as_view(),
        name="api-credential-ob3-json",
    ),
    path(
        "credentials/<str:number>/ob3.jwt",
        api.CredentialOb3JwtView.as_view(),
        name="api-credential-ob3-jwt",
    ),
    path(
        "credentials/<str:number>/certificate.pdf",
        api.CredentialPdfView.as_view(),
        name="api-credential-pdf",
    ),
    path(
        "credentials/<str:number>/suspend/",
        api.CredentialSuspendView.as_view(),
        name="api-credential-suspend",
    ),
    path(
        "credentials/<str:number>/reinstate/",
        api.CredentialReinstateView.as_view(),
        name="api-credential-reinstate",
    ),
    path(
        "credentials/<str:number>/withdraw/",
        api.CredentialWithdrawView.as_view(),
        name="api-credential-withdraw",
    ),
    path("register/", api.RegisterView.as_view(), name="api-register"),
    path("me/credentials/", api.MyCredentialsView.as_view(), name="api-me-credentials"),
    path(
        "organisation/staff/",
        api_organisation.OrganisationStaffListView.as_view(),
        name="api-organisation-staff",
    ),
    path(
        "organisation/staff/<int:pk>/",
        api_organisation.OrganisationStaffDetailView.as_view(),
        name="api-organisation-staff-detail",
    ),
]
