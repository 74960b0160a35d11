from exams.models import Question

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
