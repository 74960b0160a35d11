"""Course-only StreamField blocks: the knowledge check (ungraded, immediate feedback)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from cms.blocks import BaseStreamBlock


class OptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("option"))
    correct = blocks.BooleanBlock(required=False, label=_("correct"))
    feedback = blocks.CharBlock(required=False, label=_("feedback shown when chosen"))

    class Meta:
        icon = "radio-full"
        label = _("Option")


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"))
    options = blocks.ListBlock(OptionBlock(), min_num=2, label=_("options"))
    explanation = blocks.TextBlock(required=False, label=_("explanation"))

    class Meta:
        icon = "help"
        label = _("Question")


class KnowledgeCheckBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, label=_("title"))
    questions = blocks.ListBlock(QuestionBlock(), min_num=1, label=_("questions"))

    class Meta:
        icon = "tasks"
        template = "courses/blocks/knowledge_check.html"
        label = _("Knowledge check")


class LessonStreamBlock(BaseStreamBlock):
    """The shared library (rich text, image, video, document, callout...) plus a knowledge check."""

    knowledge_check = KnowledgeCheckBlock()
