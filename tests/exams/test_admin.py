import json

import pytest
from django.forms import ModelMultipleChoiceField
from django.utils import timezone

from exams.models import Accommodation, Attempt, BlueprintSection, Question

from .factories import CategoryFactory, ExamFactory, QuestionFactory


def test_instructor_sees_only_own_categories_and_questions(
    client_for, instructor, other_instructor
):
    mine, theirs = CategoryFactory(name="Mine"), CategoryFactory(name="Theirs")
    mine.owners.add(instructor)
    theirs.owners.add(other_instructor)
    own_question = QuestionFactory(category=mine, name="own-question")
    QuestionFactory(category=theirs, name="their-question")
    client = client_for(instructor)
    listing = client.get("/admin/exams/questions/").content.decode()
    assert "own-question" in listing and "their-question" not in listing
    other = Question.objects.get(name="their-question")
    assert client.get(f"/admin/exams/questions/edit/{other.pk}/").status_code in (302, 403, 404)
    assert client.get(f"/admin/exams/questions/edit/{own_question.pk}/").status_code == 200


def test_admin_edit_of_active_question_makes_a_new_version(client_for, instructor):
    category = CategoryFactory()
    category.owners.add(instructor)
    question = QuestionFactory(category=category, kind="truefalse")
    client = client_for(instructor)
    form = client.get(f"/admin/exams/questions/edit/{question.pk}/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["stem_en"] = "<p>Edited</p>"
    data["competencies"] = []
    response = client.post(f"/admin/exams/questions/edit/{question.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    versions = Question.objects.filter(lineage=question.lineage).order_by("version")
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[1].stem_en == "<p>Edited</p>"


def test_officer_sees_all_exams_instructor_only_taught(client_for, officer, instructor):
    taught, other = ExamFactory(title_zh="任教考试"), ExamFactory(title_zh="其他考试")
    taught.instructors.add(instructor)
    assert "其他考试" not in client_for(instructor).get("/admin/exams/exams/").content.decode()
    listing = client_for(officer).get("/admin/exams/exams/").content.decode()
    assert "其他考试" in listing and "任教考试" in listing
    assert other.pk


# --- Choices in the admin forms are scoped: instructor A cannot point at B's things -------


def form_data(client, url, **overrides) -> dict:
    """What the admin form would post as shown, with some fields changed."""
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        many = isinstance(field, ModelMultipleChoiceField)
        data[name] = (value or []) if many else ("" if value is None else value)
    data.update(overrides)
    return data


@pytest.fixture
def banks(instructor, other_instructor, officer):
    """A's exam and category; B's exam and category; the officer's certification bank."""
    mine, theirs = CategoryFactory(name="A bank"), CategoryFactory(name="B bank")
    mine.owners.add(instructor)
    theirs.owners.add(other_instructor)
    certification = CategoryFactory(name="Certification bank")
    certification.owners.add(officer)
    my_exam, their_exam = ExamFactory(title_zh="A 考试"), ExamFactory(title_zh="B 考试")
    my_exam.instructors.add(instructor)
    their_exam.instructors.add(other_instructor)
    return {
        "mine": mine,
        "theirs": theirs,
        "certification": certification,
        "cert_question": QuestionFactory(category=certification),
        "my_question": QuestionFactory(category=mine),
        "my_exam": my_exam,
        "their_exam": their_exam,
    }


def test_accommodation_for_another_instructors_exam_is_refused(
    client_for, instructor, trainee, banks
):
    client = client_for(instructor)
    # Candidates are people on the instructor's exams (here: sat one), not every account.
    now = timezone.now()
    Attempt.objects.create(exam=banks["my_exam"], user=trainee, started_at=now, deadline=now)
    url = "/admin/exams/accommodations/new/"
    data = form_data(client, url, user=trainee.pk, extra_minutes=30, extra_attempts=0)
    response = client.post(url, {**data, "exam": banks["their_exam"].pk})
    assert response.status_code == 200 and "exam" in response.context["form"].errors
    assert not Accommodation.objects.exists()
    assert client.post(url, {**data, "exam": banks["my_exam"].pk}).status_code == 302
    assert list(Accommodation.objects.values_list("exam", flat=True)) == [banks["my_exam"].pk]


def test_section_on_another_exam_or_foreign_bank_is_refused(client_for, instructor, banks):
    client = client_for(instructor)
    url = "/admin/exams/sections/new/"
    data = form_data(client, url, exam=banks["my_exam"].pk, title="Part 1", count=1, position=1)
    refused = [
        ({"exam": banks["their_exam"].pk}, "exam"),
        ({"category": banks["certification"].pk}, "category"),
        ({"category": banks["theirs"].pk}, "category"),
        ({"fixed_questions": [banks["cert_question"].pk]}, "fixed_questions"),
    ]
    for change, field in refused:
        response = client.post(url, {**data, **change})
        assert response.status_code == 200 and field in response.context["form"].errors
    assert not BlueprintSection.objects.exists()
    own = {"category": banks["mine"].pk, "fixed_questions": [banks["my_question"].pk]}
    assert client.post(url, {**data, **own}).status_code == 302
    assert BlueprintSection.objects.get().category == banks["mine"]


def test_question_in_a_category_one_does_not_own_is_refused(client_for, instructor, banks):
    client = client_for(instructor)
    url = "/admin/exams/questions/new/"
    data = form_data(
        client, url, name="Earth bond", kind="truefalse", stem_zh="<p>接地</p>", points=1,
        difficulty=3, data=json.dumps({"correct": True}), status="active",
    )  # fmt: skip
    before = Question.objects.count()
    for category in ("certification", "theirs"):
        response = client.post(url, {**data, "category": banks[category].pk})
        assert response.status_code == 200 and "category" in response.context["form"].errors
    assert Question.objects.count() == before
    assert client.post(url, {**data, "category": banks["mine"].pk}).status_code == 302
    assert Question.objects.get(name="Earth bond").category == banks["mine"]


def test_edit_cannot_move_own_records_into_someone_elses(client_for, instructor, banks):
    client = client_for(instructor)
    section = BlueprintSection.objects.create(exam=banks["my_exam"], title="Part", count=1)
    url = f"/admin/exams/sections/edit/{section.pk}/"
    response = client.post(url, form_data(client, url, exam=banks["their_exam"].pk))
    assert "exam" in response.context["form"].errors
    url = f"/admin/exams/categories/edit/{banks['mine'].pk}/"
    response = client.post(url, form_data(client, url, parent=banks["certification"].pk))
    assert "parent" in response.context["form"].errors
    section.refresh_from_db()
    banks["mine"].refresh_from_db()
    assert section.exam == banks["my_exam"] and banks["mine"].parent is None


def test_value_set_by_an_officer_stays_editable(client_for, instructor, officer, banks):
    """A's sub-category under the officer's root keeps that parent when A edits it."""
    sub = CategoryFactory(name="GB 4706", parent=banks["certification"])
    sub.owners.add(instructor)
    client = client_for(instructor)
    url = f"/admin/exams/categories/edit/{sub.pk}/"
    assert client.post(url, form_data(client, url, description="家电安全")).status_code == 302
    sub.refresh_from_db()
    assert sub.parent == banks["certification"] and sub.description == "家电安全"


def test_officer_may_choose_any_exam_and_bank(client_for, officer, banks):
    client = client_for(officer)
    url = "/admin/exams/sections/new/"
    data = form_data(
        client, url, exam=banks["their_exam"].pk, category=banks["theirs"].pk, title="P",
        count=1, position=1, fixed_questions=[banks["my_question"].pk],
    )  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert BlueprintSection.objects.get().exam == banks["their_exam"]
