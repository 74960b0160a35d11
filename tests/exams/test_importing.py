import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils.translation import override
from openpyxl import Workbook

from exams.models import Question, QuestionCategory, QuestionFile
from exams.services.exporting import questions_export_moodle_xml
from exams.services.importing import questions_import

FIXTURES = Path(settings.BASE_DIR).parent / "shared" / "fixtures" / "moodle"


@pytest.fixture(autouse=True)
def english():
    """Reports are written in the active language; these tests read the English text."""
    with override("en"):
        yield


def run(name, *extra):
    out = io.StringIO()
    call_command(
        "import_questions", str(FIXTURES / name), "--category", "Imports", *extra, stdout=out
    )
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kinds", "category"),
    [
        ("truefalse.xml", ["truefalse", "truefalse"], "Imports/Default for testhead/TrueFalse"),
        ("multichoice.xml", ["single"], "Imports/Default for testhead/Multichoice"),
        ("category_with_description.xml", ["truefalse"], "Imports/Alpha"),
        ("export_category.xml", ["truefalse"], "Imports/Alpha"),
    ],
)
def test_moodle_xml_fixture_imports(name, kinds, category):
    report = run(name)
    assert f"Created {len(kinds)} question(s)." in report
    questions = Question.objects.order_by("pk")
    assert [q.kind for q in questions] == kinds
    assert {q.category.path for q in questions} == {category}


@pytest.mark.django_db
def test_moodle_truefalse_keys_and_embedded_images():
    run("truefalse.xml")
    by_name = {q.name: q for q in Question.objects.all()}
    assert by_name["Moodle acronym (False)"].data == {"correct": False}
    assert by_name["Moodle acronym (True)"].data == {"correct": True}
    question = by_name["Moodle acronym (True)"]
    assert "@@PLUGINFILE@@" not in question.stem_zh
    logo = QuestionFile.objects.get(question=question, name="logo.jpg")
    assert logo.file.url in question.stem_zh
    assert logo.file.read(3) == b"\xff\xd8\xff"  # a real JPEG came out of the base64


@pytest.mark.django_db
def test_moodle_multichoice_options_and_feedback():
    run("multichoice.xml")
    question = Question.objects.get()
    options = question.data["options"]
    assert [o["fraction"] for o in options] == [0, 1, 0, 0]
    assert options[1]["feedback"] == "<p>Yes, well done!</p>"
    assert "French" in options[1]["text"] and "@@PLUGINFILE@@" not in options[1]["text"]
    assert QuestionFile.objects.filter(question=question).count() == 5


@pytest.mark.django_db
def test_gift_fixture_imports_every_supported_type():
    report = run("questions.gift.txt", "--format", "gift")
    assert "Created 9 question(s)." in report
    by_name = {q.name: q for q in Question.objects.all()}
    assert by_name["Q8"].kind == "essay"
    matching = by_name["Moodle activities"].data["pairs"]
    assert [p["answer"] for p in matching] == ["Forum", "Choice", "Database", "Wiki", "Chat"]
    assert matching[-1]["prompt"] == ""  # a distractor
    assert by_name["colours"].kind == "multiple"
    assert by_name["Q5"].data["answers"][0] | {} == {"value": 3.0, "tolerance": 2.0, "fraction": 1}
    assert [a["text"] for a in by_name["Shortanswer"].data["answers"]] == ["Frog", "Cat"]
    assert by_name["Q1"].data == {"correct": False}


@pytest.mark.django_db
def test_broken_file_is_rejected_with_question_number_and_writes_nothing():
    with pytest.raises(CommandError):
        run("error_invalid_grades.xml")
    assert Question.objects.count() == 0
    assert QuestionCategory.objects.count() == 0
    report = questions_import(
        content=(FIXTURES / "error_invalid_grades.xml").read_bytes(),
        filename="error_invalid_grades.xml",
        category="Imports",
    )
    assert report.errors == [
        "question 1 (line 4) “Question with <strong>invalid grades</strong> : x > 1 & x < 2”: "
        "invalid grade 33% (Moodle accepts e.g. 100, 50, 33.33333)"
    ]


@pytest.mark.django_db
def test_one_bad_question_rejects_the_whole_file():
    content = (
        (FIXTURES / "truefalse.xml")
        .read_bytes()
        .replace(
            b'<answer fraction="100" format="moodle_auto_format">\n      <text>true</text>',
            b'<answer fraction="0" format="moodle_auto_format">\n      <text>true</text>',
        )
    )
    report = questions_import(content=content, filename="x.xml", category="Imports")
    assert not report.ok and "question 3" in report.errors[0]
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    output = run("truefalse.xml", "--dry-run")
    assert "Dry run: nothing was written." in output
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_unsupported_types_are_listed_and_skipped():
    content = b"""<?xml version="1.0"?><quiz>
<question type="description"><name><text>Intro</text></name><questiontext><text>Read</text></questiontext></question>
<question type="truefalse"><name><text>T</text></name><questiontext><text>Yes?</text></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>
</quiz>"""
    report = questions_import(content=content, filename="x.xml", category="Imports")
    assert report.created == 1
    assert report.skipped == ["question 1 (line 2) “Intro”: type “description” is not supported"]


@pytest.mark.django_db
def test_malformed_xml_reports_the_line():
    report = questions_import(
        content=b"<quiz>\n<question>\n</quiz>", filename="x.xml", category="I"
    )
    assert "line 3" in report.errors[0]


@pytest.mark.django_db
def test_spreadsheet_template_imports_and_reports_bad_rows():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "category",
            "name",
            "type",
            "stem_zh",
            "stem_en",
            "points",
            "option_1",
            "option_2",
            "option_3",
            "correct",
            "tolerance",
            "unit",
        ]
    )
    sheet.append(
        [
            "电气",
            "耐压",
            "single",
            "耐压试验电压?",
            "Test voltage?",
            2,
            "1000 V",
            "1500 V",
            "3000 V",
            "2",
            "",
            "",
        ]
    )
    sheet.append(
        ["电气", "电压", "numeric", "额定电压?", "Rated voltage?", 1, "", "", "", "230", "5", "V"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = questions_import(content=buffer.getvalue(), filename="bank.xlsx", category="Bank")
    assert report.created == 2
    single = Question.objects.get(name="耐压")
    assert [o["fraction"] for o in single.data["options"]] == [0, 1, 0]
    assert single.category.path == "Bank/电气" and single.stem_en == "Test voltage?"
    sheet.append(["电气", "坏", "single", "?", "", 1, "a", "b", "", "5", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = questions_import(content=buffer.getvalue(), filename="bank.xlsx", category="Bank")
    assert report.errors == ["row 4 “坏”: “correct” must name existing option numbers"]
    assert Question.objects.count() == 2


@pytest.mark.django_db
def test_export_to_moodle_xml_round_trips():
    run("questions.gift.txt", "--format", "gift")
    exported = questions_export_moodle_xml(
        Question.objects.select_related("category").order_by("pk")
    )
    report = questions_import(
        content=exported.encode(), filename="again.xml", category="Again", dry_run=True
    )
    assert report.ok, report.errors
    assert sorted(q.kind for q in report.questions) == sorted(
        Question.objects.values_list("kind", flat=True)
    )


def test_category_export_download_is_scoped(client_for, instructor, other_instructor):
    run("truefalse.xml")
    category = QuestionCategory.objects.get(name="Imports")
    category.owners.add(instructor)
    url = f"/en/exams/categories/{category.pk}/export.xml"
    assert client_for(other_instructor).get(url).status_code == 404
    response = client_for(instructor).get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    report = questions_import(
        content=response.content, filename="x.xml", category="Copy", dry_run=True
    )
    assert report.ok and len(report.questions) == 2


def post_import(client, category: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    gift = SimpleUploadedFile("q.gift", "::Q::电压 230 V 是交流电吗?{T}".encode())
    return client.post(
        "/en/exams/import/", {"file": gift, "category": category, "format": "gift"}
    ).content.decode()


@pytest.mark.parametrize("path", ["/电气安全/X", " 电气安全 /X", "电气安全//X/", "电气安全"])
def test_import_into_someone_elses_tree_is_refused(client_for, instructor, officer, path):
    root = QuestionCategory.objects.create(name="电气安全")
    root.owners.add(officer)
    mine = QuestionCategory.objects.create(name="GB 4706", parent=root)
    mine.owners.add(instructor)
    html = post_import(client_for(instructor), path)
    assert "You do not manage this category." in html
    assert not Question.objects.exists()
    assert set(QuestionCategory.objects.all()) == {root, mine}


def test_import_below_an_own_category_of_a_foreign_root_is_allowed(client_for, instructor):
    root = QuestionCategory.objects.create(name="电气安全")
    mine = QuestionCategory.objects.create(name="GB 4706", parent=root)
    mine.owners.add(instructor)
    html = post_import(client_for(instructor), "/电气安全/ GB 4706/新题")
    assert "Created 1 question(s)." in html
    question = Question.objects.select_related("category__parent").get()
    assert question.category.name == "新题" and question.category.parent == mine
    assert list(question.category.owners.all()) == [instructor]


def test_import_with_an_empty_category_path_is_a_form_error(client_for, instructor):
    html = post_import(client_for(instructor), " / ")
    assert "Name the category" in html
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()
