import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.models import Page

from cms.models import HomePage, NewsPage, StandardPage
from trainees.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def test_seed_demo_is_idempotent_and_prints_the_accounts():
    out = io.StringIO()
    call_command("seed_demo", "--password", "another-pass-1", stdout=out)
    counts = (Page.objects.count(), User.objects.count(), NewsPage.objects.count())
    call_command("seed_demo", "--password", "another-pass-1", stdout=io.StringIO())
    assert (Page.objects.count(), User.objects.count(), NewsPage.objects.count()) == counts
    for email in [
        "officer@demo.local",
        "instructor@demo.local",
        "trainee@demo.local",
        "manager@demo.local",
    ]:
        assert email in out.getvalue()
        assert User.objects.get(email=email).check_password("another-pass-1")
    assert User.objects.get(email="officer@demo.local").is_superuser


def test_home_is_chinese_by_default_and_english_under_en(client, demo):
    chinese = client.get("/")
    assert chinese.status_code == 200
    assert '<html lang="zh-hans">' in chinese.content.decode()
    assert "培养值得信赖的检验检测认证人才" in chinese.content.decode()
    english = client.get("/en/")
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    assert (
        "Training inspection, testing and certification professionals" in english.content.decode()
    )


def test_language_switch_links_to_the_same_page_in_the_other_language(client, demo):
    html = client.get("/about/").content.decode()
    assert 'href="/en/about/"' in html
    html = client.get("/en/about/").content.decode()
    assert 'href="/about/"' in html
    # Non-page views keep their path too.
    html = client.get("/en/accounts/login/").content.decode()
    assert 'href="/accounts/login/"' in html


def test_every_chinese_page_has_an_english_translation(demo):
    for page in StandardPage.objects.filter(locale__language_code="zh-hans"):
        assert page.get_translation_or_none(
            page.locale.__class__.objects.get(language_code="en")
        ).live


def test_navigation_shows_pages_in_the_visitors_language(client, demo):
    assert "关于基地" in client.get("/").content.decode()
    assert "About the base" in client.get("/en/").content.decode()


def test_search_finds_pages_in_the_current_language(client, demo):
    response = client.get("/search/", {"q": "ISO/IEC 17024"})
    assert response.status_code == 200
    assert "人员认证" in response.content.decode()
    english = client.get("/en/search/", {"q": "impartiality"}).content.decode()
    assert "Certification of persons" in english


def test_unknown_page_is_a_friendly_404(client, demo):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "<h1>" in response.content.decode()


def test_page_types_declare_parents_and_children():
    assert HomePage.parent_page_types == ["wagtailcore.Page"]
    for model in (HomePage, StandardPage, NewsPage):
        assert model.subpage_types is not None


def _png(width=20, height=20) -> bytes:
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def _upload(client, name, content, content_type):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": name,
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": 1,
        },
    )


def test_image_upload_accepts_a_real_image(client_for, officer):
    response = _upload(client_for(officer), "ok.png", _png(), "image/png")
    assert response.status_code == 302
    assert Image.objects.count() == 1


def test_non_image_upload_is_refused_with_a_clear_error(client_for, officer):
    client = client_for(officer)
    response = _upload(client, "report.png", b"%PDF-1.4 this is not an image", "image/png")
    assert response.status_code == 200
    [message] = response.context["form"].errors["file"]
    assert message in response.content.decode()
    response = _upload(client, "script.exe", b"MZ...", "application/octet-stream")
    assert response.status_code == 200
    [message] = response.context["form"].errors["file"]
    assert message in response.content.decode()
    assert Image.objects.count() == 0


def test_oversized_image_upload_is_refused(client_for, officer, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    response = _upload(client_for(officer), "big.png", _png(400, 400) + b"\0" * 2048, "image/png")
    assert response.status_code == 200
    assert Image.objects.count() == 0
    [message] = response.context["form"].errors["file"]
    assert "1.0\xa0KB" in message or "1.0 KB" in message
    assert message in response.content.decode()


def test_only_public_image_folders_are_served_from_media(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "original_images").mkdir()
    (tmp_path / "original_images" / "logo.png").write_bytes(_png())
    (tmp_path / "certification" / "evidence").mkdir(parents=True)
    (tmp_path / "certification" / "evidence" / "diploma.pdf").write_bytes(b"%PDF-1.4 private")
    assert client.get("/media/original_images/logo.png").status_code == 200
    assert client.get("/media/certification/evidence/diploma.pdf").status_code == 404
    assert (
        client.get("/media/original_images/../certification/evidence/diploma.pdf").status_code
        == 404
    )
