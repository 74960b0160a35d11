"""HR API for enterprises: an organisation token reads its own staff's certification status.

`GET /api/v1/organisation/staff/` and `GET /api/v1/organisation/staff/{id}/`. Only
organisation tokens are accepted (no user sessions or user tokens); people outside the
token's organisation do not exist (404).
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from . import selectors_organisation as selectors
from .authentication_organisation import IsOrganisationClient, OrganisationTokenAuthentication


class StaffCredentialSerializer(serializers.Serializer):
    number = serializers.CharField()
    scheme_code = serializers.CharField(source="scheme_version.scheme.code")
    scheme_title_zh = serializers.CharField(source="scheme_version.scheme.title_zh")
    scheme_title_en = serializers.CharField(source="scheme_version.scheme.title_en")
    status = serializers.ChoiceField(
        choices=list(selectors.STATES), source="state",
        help_text="valid, expiring (within 90 days), expired, suspended or withdrawn",
    )  # fmt: skip
    valid_from = serializers.DateTimeField()
    valid_until = serializers.DateTimeField()


class StaffMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.pk")
    name_zh = serializers.CharField(source="person.profile.name_zh")
    name_latin = serializers.CharField(source="person.profile.name_latin")
    id_number_masked = serializers.CharField(source="person.profile.masked_id_number")
    job_title = serializers.CharField(source="person.profile.job_title")
    credentials = StaffCredentialSerializer(many=True)


class OrganisationApiView(GenericAPIView):
    authentication_classes = [OrganisationTokenAuthentication]
    permission_classes = [IsOrganisationClient]
    serializer_class = StaffMemberSerializer

    def get_queryset(self):
        return selectors.organisation_staff(organisation=self.request.user.organisation)


@extend_schema(
    summary="Staff of the token's organisation and their credentials",
    parameters=[
        OpenApiParameter("q", str, description="Name or email contains"),
        OpenApiParameter("status", str, enum=list(selectors.STATES)),
    ],
    responses=StaffMemberSerializer(many=True),
)
class OrganisationStaffListView(OrganisationApiView):
    def get(self, request):
        people = selectors.organisation_staff(
            organisation=request.user.organisation,
            query=request.query_params.get("q", ""),
            state=request.query_params.get("status", ""),
        )
        page = self.paginate_queryset(people)
        rows = selectors.staff_credential_rows(page)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


@extend_schema(
    summary="One staff member of the token's organisation and their credentials",
    responses=StaffMemberSerializer,
)
class OrganisationStaffDetailView(OrganisationApiView):
    def get(self, request, pk: int):
        person = self.get_queryset().filter(pk=pk).first()
        if person is None:
            raise Http404
        row = selectors.staff_credential_rows([person])[0]
        return Response(self.get_serializer(row).data)
