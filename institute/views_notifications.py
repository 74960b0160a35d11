"""Each signed-in person's email notification choices: a page and the same as API.

There is no object id in either URL: both only ever read and write the requesting user's own
preferences, so nobody can reach anyone else's.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .notifications import notification_preferences_for, notification_preferences_update


class NotificationPreferencesForm(forms.Form):
    """One checkbox per kind; mandatory kinds are shown ticked and disabled, so a tampered
    post cannot switch them off (Django ignores submitted values of disabled fields)."""

    def __init__(self, *args, preferences: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for preference in preferences:
            self.fields[preference["kind"]] = forms.BooleanField(
                label=preference["label"],
                help_text=preference["description"],
                required=False,
                initial=preference["email_enabled"],
                disabled=preference["mandatory"],
            )

    def optional_choices(self) -> dict[str, bool]:
        return {
            name: self.cleaned_data[name]
            for name, field in self.fields.items()
            if not field.disabled
        }


@login_required
def notification_preferences(request):
    data = request.POST if request.method == "POST" else None
    form = NotificationPreferencesForm(data, preferences=notification_preferences_for(request.user))
    if request.method == "POST" and form.is_valid():
        choices = form.optional_choices()
        notification_preferences_update(user=request.user, choices=choices, by=request.user)
        messages.success(request, _("Your notification choices are saved."))
        return redirect("notification-preferences")
    return render(request, "institute/notifications.html", {"form": form})


class NotificationPreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    mandatory = serializers.BooleanField(read_only=True)
    email_enabled = serializers.BooleanField()


class NotificationPreferencesSerializer(serializers.Serializer):
    preferences = NotificationPreferenceSerializer(many=True)


class NotificationPreferencesView(APIView):
    """Your email notifications. PUT changes the kinds you list; the others keep their value.

    Mandatory kinds are always on: switching one off is refused (400), as is a kind that
    is not addressed to you.
    """

    @extend_schema(responses=NotificationPreferencesSerializer, operation_id="me_notifications")
    def get(self, request):
        return self._current(request.user)

    @extend_schema(
        request=NotificationPreferencesSerializer,
        responses=NotificationPreferencesSerializer,
        operation_id="me_notifications_update",
    )
    def put(self, request):
        serializer = NotificationPreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = serializer.validated_data["preferences"]
        choices = {row["kind"]: row["email_enabled"] for row in rows}
        try:
            notification_preferences_update(user=request.user, choices=choices, by=request.user)
        except ValidationError as error:
            raise serializers.ValidationError({"preferences": error.messages}) from error
        return self._current(request.user)

    def _current(self, user):
        data = {"preferences": notification_preferences_for(user)}
        return Response(NotificationPreferencesSerializer(data).data)
