"""The trainee's pages: course home, lesson, knowledge check, dashboard, transcript."""

from courses import services
from courses.models import Enrolment

from .factories import add_lesson, english_translation, knowledge_check_body, make_course


def test_enrol_from_the_course_page_then_see_the_outline_and_progress(course, client_for, trainee):
    page, lessons = course
    client = client_for(trainee)
    response = client.post(f"/learning/courses/{page.pk}/enrol/", {"next": page.url})
    assert response["Location"] == page.url
    client.post(f"/learning/lessons/{lessons[0].pk}/complete/")
    content = client.get(page.url).content.decode()
    assert 'value="25"' in content
    assert "Continue where you left off" in content or "继续" in content
    assert lessons[1].title in content


def test_continue_points_at_the_next_lesson_after_the_last_completed(
    enrolled, course, client_for, trainee
):
    page, lessons = course
    client = client_for(trainee)
    client.get(lessons[0].url)
    client.post(f"/learning/lessons/{lessons[0].pk}/complete/")
    response = client.get(page.url)
    assert response.context["continue_lesson"].pk == lessons[1].pk


def test_knowledge_check_form_gives_feedback_and_completes_on_pass(
    enrolled, course, client_for, trainee
):
    page, lessons = course
    lesson = add_lesson(lessons[0].get_parent().specific, body=knowledge_check_body())
    client = client_for(trainee)
    page_html = client.get(lesson.url).content.decode()
    assert 'name="q-1-0"' in page_html and 'data-feedback="影响安全。"' in page_html
    wrong = client.post(f"/learning/lessons/{lesson.pk}/check/", {"q-1-0": "0"})
    assert "影响安全。" in wrong.content.decode()
    assert not enrolled.lesson_progress.filter(lesson=lesson).exists()
    client.post(f"/learning/lessons/{lesson.pk}/check/", {"q-1-0": "1"})
    assert enrolled.lesson_progress.filter(lesson=lesson).exists()


def test_locked_lesson_redirects_to_the_course(db, client_for, trainee):
    page, lessons = make_course(lessons=2, requires_sequence=True)
    services.enrolment_create(user=trainee, course=page, by=trainee)
    response = client_for(trainee).get(lessons[1].url)
    assert response.status_code == 302 and response["Location"] == page.url


def test_english_pages_share_the_enrolment(db, client_for, trainee):
    page, lessons = make_course(lessons=1)
    english_course = english_translation(page)
    english_lesson = english_translation(lessons[0])
    client = client_for(trainee)
    client.post(f"/en/learning/courses/{page.pk}/enrol/")
    assert client.get(english_lesson.url).status_code == 200
    client.post(f"/en/learning/lessons/{english_lesson.pk}/complete/")
    assert Enrolment.objects.get(user=trainee).status == "completed"
    assert "Completed on" in client.get(english_course.url).content.decode()


def test_dashboard_shows_current_completed_and_sessions(db, client_for, trainee):
    from .factories import make_session

    current, _ = make_course(title="当前课程")
    done, done_lessons = make_course(title="已完成课程", lessons=1, hours="6.5")
    services.enrolment_create(user=trainee, course=current, by=trainee)
    session = make_session(current)
    services.session_book(session=session, user=trainee)
    services.enrolment_create(user=trainee, course=done, by=trainee)
    services.lesson_complete(user=trainee, lesson=done_lessons[0])
    content = client_for(trainee).get("/learning/").content.decode()
    assert "当前课程" in content and "已完成课程" in content
    assert session.place in content
    assert "6.5" in content


def test_transcript_page_and_pdf(db, client_for, trainee):
    page, lessons = make_course(lessons=1, hours="6.5")
    services.enrolment_create(user=trainee, course=page, by=trainee)
    services.lesson_complete(user=trainee, lesson=lessons[0])
    client = client_for(trainee)
    assert page.code in client.get("/learning/transcript/").content.decode()
    response = client.get("/learning/transcript.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_module_page_redirects_to_its_course(course, client_for):
    page, lessons = course
    response = client_for(None).get(lessons[0].get_parent().url)
    assert response.status_code == 302 and response["Location"] == page.url


def test_seed_demo_is_idempotent_and_enrols_the_demo_trainee(db):
    import io

    from django.core.management import call_command

    from courses.models import CoursePage, LessonProgress

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert CoursePage.objects.filter(locale__language_code="zh-hans").count() == 3
    assert CoursePage.objects.filter(locale__language_code="en").count() == 3
    enrolment = Enrolment.objects.get(user__email="trainee@demo.local")
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 2
    course = CoursePage.objects.get(code="FI-101", locale__language_code="zh-hans")
    assert list(course.instructors.values_list("email", flat=True)) == ["instructor@demo.local"]


def test_dashboard_lists_courses_an_instructor_teaches(
    course, other_course, client_for, instructor
):
    content = client_for(instructor).get("/learning/").content.decode()
    assert f"/staff/courses/{course[0].pk}/" in content
    assert f"/staff/courses/{other_course[0].pk}/" not in content


def test_withdraw_from_the_course_page(enrolled, course, client_for, trainee, other_trainee):
    page, _ = course
    assert (
        client_for(other_trainee).post(f"/learning/courses/{page.pk}/withdraw/").status_code == 404
    )
    client_for(trainee).post(f"/learning/courses/{page.pk}/withdraw/")
    assert Enrolment.objects.get(pk=enrolled.pk).status == "withdrawn"


def test_dashboard_links_managers_to_their_staff_page(client_for, manager, trainee):
    assert "/learning/organisation/" in client_for(manager).get("/learning/").content.decode()
    assert "/learning/organisation/" not in client_for(trainee).get("/learning/").content.decode()


def test_sessions_show_their_english_title_on_english_pages(enrolled, course, client_for, trainee):
    from .factories import make_session

    session = make_session(course[0], title_en="Mock factory inspection", place_en="Lab B")
    services.session_book(session=session, user=trainee)
    english = client_for(trainee).get("/en/learning/").content.decode()
    assert "Mock factory inspection" in english and "Lab B" in english
    assert "模拟工厂检查" in client_for(trainee).get("/learning/").content.decode()
