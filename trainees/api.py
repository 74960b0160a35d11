from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import roles


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name_zh = serializers.CharField()
    name_latin = serializers.CharField()
    organisation = serializers.CharField(allow_null=True)
    id_number_masked = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    mfa_enrolled = serializers.BooleanField()


class MeView(APIView):
    """The signed-in user: identity, roles, organisation (ID number masked)."""

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request):
        user = request.user
        profile = user.profile
        data = {
            "id": user.pk,
            "email": user.email,
            "name_zh": profile.name_zh,
            "name_latin": profile.name_latin,
            "organisation": profile.organisation.name_zh if profile.organisation else None,
            "id_number_masked": profile.masked_id_number,
            "roles": sorted(roles.role_names(user)),
            "mfa_enrolled": roles.has_mfa(user),
        }
        # Already the serializer's output (plain JSON types); it documents the answer.
        return Response(data)
