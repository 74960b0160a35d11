"""JSON API of the exam page (public contract, see DESIGN.md). Thin: check, call, answer."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from institute.permissions import get_object_or_404_for

from .errors import AttemptClosedError
from .models import Attempt, Exam
from .payloads import attempt_payload, attempt_summary, result_payload
from .selectors import attempts_left, exams_available_for
from .services.attempts import attempt_start, attempt_submit, response_save


class ExamSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    time_limit_minutes = serializers.IntegerField()
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    pass_mark = serializers.FloatField()
    needs_access_code = serializers.BooleanField()
    attempts_left = serializers.IntegerField()
    best_percent = serializers.FloatField(allow_null=True)


class ExamListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = ExamSummarySerializer(many=True)


class AttemptSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    exam = serializers.IntegerField()
    number = serializers.IntegerField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    auto_submitted = serializers.BooleanField()
    released = serializers.BooleanField()
    score_percent = serializers.FloatField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True)


class PaperQuestionSerializer(serializers.Serializer):
    """One question as the candidate sees it: choices to pick from, never the key."""

    id = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.CharField()
    stem = serializers.CharField()
    points = serializers.FloatField()
    options = serializers.JSONField(required=False, help_text="single/multiple: [{id, text}]")
    prompts = serializers.JSONField(required=False, help_text="matching: [{id, text}]")
    choices = serializers.JSONField(required=False, help_text="matching: [text]")
    items = serializers.JSONField(required=False, help_text="ordering: [{id, text}]")
    units = serializers.JSONField(required=False, help_text="numeric: [unit]")
    saved = serializers.JSONField(allow_null=True, help_text="{answer, revision} or null")


class AttemptSerializer(AttemptSummarySerializer):
    server_now = serializers.DateTimeField()
    seconds_left = serializers.IntegerField()
    questions = PaperQuestionSerializer(many=True)


class SavedSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    answer = serializers.JSONField(allow_null=True)
    revision = serializers.IntegerField()
    saved_at = serializers.DateTimeField()
    accepted = serializers.BooleanField(help_text="false: a later save (another tab) is kept")


class ResultSerializer(AttemptSummarySerializer):
    questions = serializers.ListField(child=serializers.JSONField(), help_text="per review policy")


def _error(error: ValidationError, code=status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"detail": " ".join(error.messages)}, status=code)


def _attempt_for(user, permission: str, pk: int) -> Attempt:
    return get_object_or_404_for(user, permission, Attempt.objects.select_related("exam"), pk=pk)


class ExamListView(APIView):
    """Exams the user may take, with attempts left."""

    @extend_schema(operation_id="exams_list", responses=ExamListSerializer)
    def get(self, request):
        rows = []
        for exam in exams_available_for(user=request.user):
            accommodation = exam.my_accommodations[0] if exam.my_accommodations else None
            rows.append(
                {
                    "id": exam.pk,
                    "title": exam.title,
                    "kind": exam.kind,
                    "time_limit_minutes": exam.time_limit_minutes,
                    "opens_at": exam.opens_at,
                    "closes_at": exam.closes_at,
                    "pass_mark": float(exam.pass_mark),
                    "needs_access_code": bool(exam.access_code),
                    "attempts_left": attempts_left(exam, exam.used_attempts, accommodation),
                    "best_percent": float(exam.best_percent)
                    if exam.best_percent is not None
                    else None,
                }
            )
        return Response({"count": len(rows), "results": rows})


class StartInput(serializers.Serializer):
    access_code = serializers.CharField(required=False, allow_blank=True, default="")


class AttemptStartView(APIView):
    @extend_schema(
        operation_id="exams_attempts_start", request=StartInput, responses=AttemptSerializer
    )
    def post(self, request, pk: int):
        exam = get_object_or_404_for(request.user, "exams.take_exam", Exam.objects.all(), pk=pk)
        data = StartInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            attempt = attempt_start(
                exam=exam, user=request.user, access_code=data.validated_data["access_code"]
            )
        except ValidationError as error:
            return _error(error, status.HTTP_409_CONFLICT)
        return Response(attempt_payload(attempt), status=status.HTTP_201_CREATED)


class AttemptDetailView(APIView):
    """The paper and saved answers (no keys)."""

    @extend_schema(operation_id="attempts_retrieve", responses=AttemptSerializer)
    def get(self, request, pk: int):
        attempt = _attempt_for(request.user, "exams.view_attempt", pk)
        return Response(attempt_payload(attempt))


class SaveInput(serializers.Serializer):
    answer = serializers.JSONField(allow_null=True)
    client_timestamp = serializers.IntegerField(min_value=0, required=False, default=0)


class ResponseSaveView(APIView):
    """Save one answer (idempotent upsert; the latest client timestamp wins)."""

    @extend_schema(
        operation_id="attempts_responses_update",
        request=SaveInput,
        responses=SavedSerializer,
    )
    def put(self, request, pk: int, question_id: int):
        attempt = _attempt_for(request.user, "exams.answer_attempt", pk)
        data = SaveInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            stored = response_save(
                attempt=attempt,
                question_id=question_id,
                answer=data.validated_data["answer"],
                client_timestamp=data.validated_data["client_timestamp"],
                by=request.user,
            )
        except AttemptClosedError as error:
            return _error(error, status.HTTP_409_CONFLICT)
        except ValidationError as error:
            return _error(error)
        return Response(stored)


class AttemptSubmitView(APIView):
    @extend_schema(operation_id="attempts_submit", request=None, responses=AttemptSummarySerializer)
    def post(self, request, pk: int):
        attempt = _attempt_for(request.user, "exams.answer_attempt", pk)
        attempt = attempt_submit(attempt=attempt, by=request.user)
        return Response(attempt_summary(attempt))


class AttemptResultView(APIView):
    @extend_schema(operation_id="attempts_result", responses=ResultSerializer)
    def get(self, request, pk: int):
        attempt = _attempt_for(request.user, "exams.view_attempt", pk)
        return Response(result_payload(attempt))
