"""Demo site pages in Chinese with English translations (idempotent)."""

import datetime

from django.db import transaction
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from .models import HomePage, NavigationLink, NewsIndexPage, NewsPage, SiteIdentity, StandardPage


def locales() -> tuple[Locale, Locale]:
    chinese, _ = Locale.objects.get_or_create(language_code="zh-hans")
    english, _ = Locale.objects.get_or_create(language_code="en")
    return chinese, english


def _apply(page: Page, fields: dict) -> None:
    for name, value in fields.items():
        setattr(page, name, value)


def ensure_translated_page(parent: Page, model, slug: str, chinese: dict, english: dict) -> Page:
    """Create or update a Chinese page under `parent` and its English translation; publish both."""
    _, english_locale = locales()
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **chinese)
        parent.add_child(instance=page)
    else:
        _apply(page, chinese)
    page.save_revision().publish()
    translation = page.get_translation_or_none(english_locale)
    if translation is None:
        translation = page.copy_for_translation(english_locale, copy_parents=True)
    translation = translation.specific
    _apply(translation, english)
    translation.save_revision().publish()
    return page


def _home() -> HomePage:
    chinese, _ = locales()
    home = HomePage.objects.filter(locale=chinese, depth=2).first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's installation leaves a plain "Welcome" page holding the slug we want.
        Page.objects.filter(depth=2, content_type__model="page", slug="home").delete()
        home = HomePage(title="首页", slug="home", locale=chinese)
        root.add_child(instance=home)
    return home


HOME_ZH = {
    "title": "首页",
    "hero_title": "培养值得信赖的检验检测认证人才",
    "hero_text": (
        "中检集团培训学院长三角研发与实践基地立足苏州，面向企业提供检验、检测与认证人员的"
        "线上学习、基地实操、考试评价与能力证书，证书真伪任何人均可在线验证。"
    ),
    "hero_cta_text": "了解认证服务",
    "body": [
        ("heading", "我们做什么"),
        (
            "paragraph",
            RichText(
                "<ul><li>产品认证工厂检查员、实验室检测员等资格路径培训</li>"
                "<li>依据 ISO/IEC 17024 的人员认证：考试、评定、发证与再认证</li>"
                "<li>在基地实训室开展的实操训练与实操考核</li></ul>"
            ),
        ),
        (
            "callout",
            {
                "kind": "tip",
                "title": "证书验证",
                "text": RichText(
                    "<p>扫描证书上的二维码，或在公开注册库中按姓名、证书编号查询。</p>"
                ),
            },
        ),
    ],
}
HOME_EN = {
    "title": "Home",
    "hero_title": "Training inspection, testing and certification professionals you can trust",
    "hero_text": (
        "The CCIC Institute's Yangtze Delta R&D and Practice Base in Suzhou trains inspectors, "
        "auditors and laboratory testers online and at the base, examines them, and issues "
        "competency credentials that anyone can verify."
    ),
    "hero_cta_text": "Our certification services",
    "body": [
        ("heading", "What we do"),
        (
            "paragraph",
            RichText(
                "<ul><li>Qualification pathways for product-certification factory inspectors and "
                "laboratory testers</li><li>Certification of persons under ISO/IEC 17024: "
                "examination, decision, credential and recertification</li>"
                "<li>Hands-on practice and practical assessment in the base's training labs</li></ul>"
            ),
        ),
        (
            "callout",
            {
                "kind": "tip",
                "title": "Verify a credential",
                "text": RichText(
                    "<p>Scan the QR code on a certificate or search the "
                    "public register by name or credential number.</p>"
                ),
            },
        ),
    ],
}

ABOUT_ZH = {
    "title": "关于基地",
    "introduction": "长三角研发与实践基地是中检集团培训学院在苏州设立的检验检测认证人才培养平台。",
    "body": [
        (
            "paragraph",
            RichText(
                "<p>基地拥有电气安全、电磁兼容与理化检测实训室，可同时容纳 60 名学员开展实操训练。"
                "课程由具有多年工厂检查和实验室评审经验的讲师讲授。</p>"
            ),
        ),
        (
            "table",
            {
                "data": [
                    ["项目", "内容"],
                    ["实训室", "电气安全、EMC、理化"],
                    ["年培训量", "约 3,000 人次"],
                    ["地址", "苏州高新区"],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
            },
        ),
        ("quote", {"quote": "以检验为本，以能力为先。", "attribution": "基地培训宗旨"}),
    ],
}
ABOUT_EN = {
    "title": "About the base",
    "introduction": (
        "The Yangtze Delta R&D and Practice Base is the CCIC Institute's centre in Suzhou for "
        "training inspection, testing and certification professionals."
    ),
    "body": [
        (
            "paragraph",
            RichText(
                "<p>The base runs training labs for electrical safety, EMC and physical-chemical "
                "testing with room for 60 trainees at a time. Courses are taught by instructors with "
                "years of factory inspection and laboratory assessment experience.</p>"
            ),
        ),
        (
            "table",
            {
                "data": [
                    ["Item", "Details"],
                    ["Training labs", "Electrical safety, EMC, physical-chemical"],
                    ["Trainees per year", "about 3,000"],
                    ["Address", "Suzhou New District"],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
            },
        ),
        (
            "quote",
            {
                "quote": "Inspection first, competence above all.",
                "attribution": "The base's training motto",
            },
        ),
    ],
}
CERTIFICATION_ZH = {
    "title": "人员认证",
    "introduction": "依据 ISO/IEC 17024 开展检验检测认证人员能力认证。",
    "body": [
        (
            "paragraph",
            RichText(
                "<p>认证流程：完成资格路径要求的课程与实操 → 通过认证考试 → 提交申请与证明材料 → "
                "由未参与培训和考试的认证官作出决定 → 颁发电子证书（含二维码与 Open Badges 3.0 凭证）"
                " → 有效期内持续职业发展（CPD）→ 到期前再认证。</p>"
            ),
        ),
        (
            "callout",
            {
                "kind": "warning",
                "title": "公正性",
                "text": RichText("<p>培训或考评过候选人的人员不得参与对该候选人的认证决定。</p>"),
            },
        ),
    ],
}
CERTIFICATION_EN = {
    "title": "Certification of persons",
    "introduction": "Competence certification of TIC professionals under ISO/IEC 17024.",
    "body": [
        (
            "paragraph",
            RichText(
                "<p>The route: complete the pathway's courses and practical work, pass the "
                "certification exam, apply with evidence, receive a decision from an officer who "
                "neither trained nor examined you, receive a digital credential (QR code and Open "
                "Badges 3.0), keep it valid with CPD, and recertify before it expires.</p>"
            ),
        ),
        (
            "callout",
            {
                "kind": "warning",
                "title": "Impartiality",
                "text": RichText(
                    "<p>No one who trained or examined a candidate takes the "
                    "certification decision on that candidate.</p>"
                ),
            },
        ),
    ],
}
NEWS = [
    (
        "2026-open-day",
        datetime.date(2026, 10, 18),
        {
            "title": "基地举办 2026 年开放日",
            "summary": "来自 40 余家苏州企业的质量负责人参观了电气安全实训室。",
            "body": [
                (
                    "paragraph",
                    RichText("<p>开放日当天，讲师演示了耐压测试与接地电阻测量的规范操作。</p>"),
                )
            ],
        },
        {
            "title": "The base holds its 2026 open day",
            "summary": "Quality managers from over 40 Suzhou companies visited the electrical safety lab.",
            "body": [
                (
                    "paragraph",
                    RichText(
                        "<p>Instructors demonstrated dielectric strength tests "
                        "and earth-resistance measurement.</p>"
                    ),
                )
            ],
        },
    ),
    (
        "iec-62368-course",
        datetime.date(2026, 11, 5),
        {
            "title": "新开课程：IEC 62368-1 音视频与信息技术设备安全",
            "summary": "面向实验室检测员的混合式课程，12 月开班。",
            "body": [("paragraph", RichText("<p>课程包括线上学习 16 学时与基地实操 8 学时。</p>"))],
        },
        {
            "title": "New course: IEC 62368-1 safety of AV and ICT equipment",
            "summary": "A blended course for laboratory testers, starting in December.",
            "body": [
                (
                    "paragraph",
                    RichText("<p>16 hours online and 8 hours of practice at the base.</p>"),
                )
            ],
        },
    ),
]


@transaction.atomic
def seed(*, password: str = "", stdout=None) -> dict:
    home = _home()
    _apply(home, HOME_ZH)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port, site.site_name, site.root_page = (
        "localhost",
        80,
        "CCIC Institute",
        home,
    )
    site.save()
    home_english = home.get_translation_or_none(locales()[1])
    if home_english is None:
        home_english = home.copy_for_translation(locales()[1])
    _apply(home_english.specific, HOME_EN)
    home_english.specific.save_revision().publish()

    about = ensure_translated_page(home, StandardPage, "about", ABOUT_ZH, ABOUT_EN)
    certification = ensure_translated_page(
        home, StandardPage, "certification", CERTIFICATION_ZH, CERTIFICATION_EN
    )
    news_index = ensure_translated_page(
        home,
        NewsIndexPage,
        "news",
        {"title": "新闻动态", "introduction": "基地最新消息。"},
        {"title": "News", "introduction": "The latest from the base."},
    )
    for slug, date, chinese, english in NEWS:
        ensure_translated_page(news_index, NewsPage, slug, {"date": date, **chinese}, english)
    home.hero_cta_page = certification
    home.save_revision().publish()

    identity = SiteIdentity.for_site(site)
    identity.address_zh = "江苏省苏州市高新区珠江路 88 号"
    identity.address_en = "88 Zhujiang Road, Suzhou New District, Jiangsu, China"
    identity.phone, identity.email = "0512-6868 0000", "training@institute.local"
    identity.footer_text_zh = "<p>© 2026 中检集团培训学院 长三角研发与实践基地</p>"
    identity.footer_text_en = (
        "<p>© 2026 CCIC Institute, Yangtze Delta R&amp;D and Practice Base</p>"
    )
    identity.save()
    add_navigation(site, [about, certification, news_index])
    return {"home": home, "site": site, "news_index": news_index}


def add_navigation(site: Site, pages: list[Page]) -> None:
    """Append pages to the main navigation unless already there (other apps call this too)."""
    identity = SiteIdentity.for_site(site)
    present = set(identity.navigation_links.values_list("page_id", flat=True))
    order = identity.navigation_links.count()
    for page in pages:
        if page.pk not in present:
            NavigationLink.objects.create(setting=identity, page=page, sort_order=order)
            order += 1
