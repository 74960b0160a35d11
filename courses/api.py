"""JSON API of the courses app (public contract, see DESIGN.md). Same checks as the pages."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import Page

from institute.permissions import can, get_object_or_404_for

from . import selectors, services
from .models import CoursePage, Enrolment, LessonPage


class CourseSerializer(serializers.ModelSerializer):
    title_en = serializers.SerializerMethodField()
    seats_left = serializers.SerializerMethodField()
    competencies = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    prerequisites = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    url = serializers.CharField(read_only=True)

    class Meta:
        model = CoursePage
        fields = [
            "id", "code", "title", "title_en", "summary", "hours", "delivery_mode", "level",
            "language", "enrolment_policy", "capacity", "seats_left", "requires_sequence",
            "competencies", "prerequisites", "url",
        ]  # fmt: skip

    def get_title_en(self, course) -> str:
        return self.context.get("english_titles", {}).get(course.translation_key, "")

    def get_seats_left(self, course) -> int | None:
        if course.capacity is None:
            return None
        return max(course.capacity - course.seats_taken, 0)


class EnrolmentSerializer(serializers.ModelSerializer):
    course_code = serializers.CharField(source="course.code", read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id", "course", "course_code", "course_title", "status", "progress_percent",
            "requested_at", "completed_at", "study_hours",
        ]  # fmt: skip


def _english_titles(courses) -> dict:
    from wagtail.models import Locale

    keys = [course.translation_key for course in courses]
    return dict(
        CoursePage.objects.filter(translation_key__in=keys, locale__language_code="en")
        .exclude(locale=Locale.get_default())
        .values_list("translation_key", "title")
    )


def _courses():
    filters = selectors.CatalogueFilters()
    return selectors.catalogue_courses(
        locale=selectors.default_locale(), filters=filters
    ).prefetch_related("competencies", "prerequisites")


class CourseListView(generics.ListAPIView):
    """The live catalogue (anyone may read it); filters: mode, level, competency, language, q."""

    permission_classes = [AllowAny]
    serializer_class = CourseSerializer

    def get_queryset(self):
        from .views.catalogue import filters_from

        return selectors.catalogue_courses(
            locale=selectors.default_locale(), filters=filters_from(self.request)
        ).prefetch_related("competencies", "prerequisites")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "english_titles": self._titles}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self._titles = _english_titles(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def _course_or_404(pk: int) -> CoursePage:
    # `id` (the page's own integer column), not `pk` (the parent link): Django answers "no such
    # row" for an id beyond the integer range there, where `pk` raised a database error (500).
    course = get_object_or_404(CoursePage.objects.live(), id=pk)
    try:
        canonical = selectors.canonical_page(course)
    except Page.DoesNotExist:
        raise Http404 from None
    # The default-locale original may be unpublished while a translation is live.
    return get_object_or_404(_courses(), pk=canonical.pk)


class CourseDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=CourseSerializer, operation_id="course_retrieve")
    def get(self, request, pk: int):
        course = _course_or_404(pk)
        context = {"english_titles": _english_titles([course]), "request": request}
        data = CourseSerializer(course, context=context).data
        enrolment = selectors.enrolment_for(user=request.user, course=course)
        data["my_enrolment"] = EnrolmentSerializer(enrolment).data if enrolment else None
        return Response(data)


class PersonSerializer(serializers.Serializer):
    user = serializers.IntegerField(required=False, help_text="Enrol someone else (managers).")


def _target_person(request, permission: str):
    """The person acted for: oneself, or someone the caller may act for (else 404)."""
    serializer = PersonSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    user_id = serializer.validated_data.get("user")
    if user_id is None or user_id == request.user.pk:
        return request.user
    return get_object_or_404_for(request.user, permission, get_user_model().objects, pk=user_id)


def _invalid(error: ValidationError) -> Response:
    return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)


class EnrolView(APIView):
    @extend_schema(
        request=PersonSerializer, responses=EnrolmentSerializer, operation_id="course_enrol"
    )
    def post(self, request, pk: int):
        course = selectors.canonical_page(get_object_or_404(CoursePage.objects.live(), id=pk))
        person = _target_person(request, "courses.enrol_person")
        try:
            enrolment = services.enrolment_create(user=person, course=course, by=request.user)
        except ValidationError as error:
            return _invalid(error)
        except PermissionDenied:
            raise Http404 from None
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)


class WithdrawView(APIView):
    @extend_schema(
        request=PersonSerializer, responses=EnrolmentSerializer, operation_id="course_withdraw"
    )
    def post(self, request, pk: int):
        course = selectors.canonical_page(get_object_or_404(CoursePage.objects.live(), id=pk))
        person = _target_person(request, "courses.enrol_person")
        enrolment = selectors.enrolment_for(user=person, course=course)
        if enrolment is None or not can(request.user, "courses.withdraw_enrolment", enrolment):
            raise Http404
        try:
            enrolment = services.enrolment_withdraw(enrolment=enrolment, by=request.user)
        except ValidationError as error:
            return _invalid(error)
        return Response(EnrolmentSerializer(enrolment).data)


class MyEnrolmentsView(generics.ListAPIView):
    serializer_class = EnrolmentSerializer

    def get_queryset(self):
        return selectors.my_enrolments(user=self.request.user).order_by("-requested_at", "-pk")


class LessonCompleteView(APIView):
    @extend_schema(request=None, responses=EnrolmentSerializer, operation_id="lesson_complete")
    def post(self, request, pk: int):
        lesson = get_object_or_404_for(
            request.user, "courses.view_lesson", LessonPage.objects.live(), id=pk
        )
        try:
            enrolment = services.lesson_complete(user=request.user, lesson=lesson)
        except ValidationError as error:
            return _invalid(error)
        return Response(EnrolmentSerializer(enrolment).data)
