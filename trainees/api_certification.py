"""Credential API: public status/documents/register, the holder's list, officer actions."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from institute.permissions import can

from . import selectors, services
from .credentials.public import public_summary
from .models import Credential


class CredentialStatusSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    valid = serializers.BooleanField()
    holder_name_zh = serializers.CharField()
    holder_name_latin = serializers.CharField()
    organisation_zh = serializers.CharField()
    organisation_en = serializers.CharField()
    scheme_code = serializers.CharField()
    scheme_zh = serializers.CharField()
    scheme_en = serializers.CharField()
    scheme_version = serializers.IntegerField()
    scope_zh = serializers.CharField()
    scope_en = serializers.CharField()
    issued_at = serializers.DateTimeField()
    valid_from = serializers.DateTimeField()
    valid_until = serializers.DateTimeField()
    suspended_until = serializers.DateField(allow_null=True)
    superseded_by = serializers.CharField(allow_null=True)
    verify_url = serializers.CharField()


def _status_data(credential: Credential) -> dict:
    from .credentials.ob3 import verify_url

    return CredentialStatusSerializer(
        {**public_summary(credential), "verify_url": verify_url(credential.number)}
    ).data


def _public_credential(number: str) -> Credential:
    credential = selectors.credential_public_get(number=number)
    if credential is None:
        raise Http404
    return credential


class CredentialStatusView(APIView):
    """Public status of a credential (what the verify page shows), for integrations."""

    permission_classes = [AllowAny]

    @extend_schema(responses=CredentialStatusSerializer, operation_id="credential_status")
    def get(self, request, number: str):
        return Response(_status_data(_public_credential(number)))


class CredentialOb3JsonView(APIView):
    """The OB 3.0 credential with its embedded eddsa-rdfc-2022 Data Integrity proof."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: dict}, operation_id="credential_ob3_json")
    def get(self, request, number: str):
        credential = _public_credential(number)
        response = JsonResponse(credential.ob3_json, json_dumps_params={"ensure_ascii": False})
        response["Content-Type"] = "application/vc+ld+json"
        response["Content-Disposition"] = f'inline; filename="{number}.json"'
        return response


class CredentialOb3JwtView(APIView):
    """The same OB 3.0 credential as a VC-JWT (compact JWS, EdDSA)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: str}, operation_id="credential_ob3_jwt")
    def get(self, request, number: str):
        credential = _public_credential(number)
        return HttpResponse(credential.ob3_jwt, content_type="application/vc+jwt")


class CredentialPdfView(APIView):
    """The PDF certificate (full name and photo): holder, their organisation's manager, officers.

    Anyone else, anonymous included, gets 404: the public learns only what the verify page
    shows (masked name, no photo).
    """

    permission_classes = [AllowAny]  # the check is on the object: 404, never 401/403

    @extend_schema(responses={200: bytes}, operation_id="credential_pdf")
    def get(self, request, number: str):
        from .downloads import certificate_response, credential_for_file

        return certificate_response(credential_for_file(request.user, number))


# The lists answer {"results": [...]}: so the document says (schemathesis found it said a list).
CREDENTIAL_RESULTS = inline_serializer(
    "CredentialResults", {"results": CredentialStatusSerializer(many=True)}
)


class RegisterView(APIView):
    """Public register search by credential number, holder name or organisation."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="number, name or organisation")],
        responses=CREDENTIAL_RESULTS,
        operation_id="register_search",
    )
    def get(self, request):
        results = selectors.register_search(query=request.query_params.get("q", ""))
        return Response({"results": [_status_data(c) for c in results]})


class MyCredentialsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CREDENTIAL_RESULTS, operation_id="me_credentials")
    def get(self, request):
        credentials = selectors.my_credentials(user=request.user)
        return Response({"results": [_status_data(c) for c in credentials]})


class CredentialActionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    until = serializers.DateField(required=False, allow_null=True, default=None)


class _CredentialActionView(APIView):
    """Officers only (session or token); everyone else gets 403 (the credential is public)."""

    permission_classes = [IsAuthenticated]

    def act(self, credential, by, data) -> Credential:
        raise NotImplementedError

    @extend_schema(request=CredentialActionSerializer, responses=CredentialStatusSerializer)
    def post(self, request, number: str):
        credential = get_object_or_404(Credential, number=number)
        if not can(request.user, "trainees.change_credential_status", credential):
            return Response(
                {"detail": "Only certification officers may do this."},
                status=status.HTTP_403_FORBIDDEN,
            )
        serializer = CredentialActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            credential = self.act(credential, request.user, serializer.validated_data)
        except ValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else error.messages
            return Response({"detail": detail}, status=status.HTTP_400_BAD_REQUEST)
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        return Response(_status_data(_public_credential(credential.number)))


class CredentialSuspendView(_CredentialActionView):
    def act(self, credential, by, data):
        until: datetime.date | None = data.get("until")
        return services.credential_suspend(
            credential=credential, by=by, reason=data["reason"], until=until
        )


class CredentialReinstateView(_CredentialActionView):
    def act(self, credential, by, data):
        return services.credential_reinstate(credential=credential, by=by, reason=data["reason"])


class CredentialWithdrawView(_CredentialActionView):
    def act(self, credential, by, data):
        return services.credential_withdraw(credential=credential, by=by, reason=data["reason"])
