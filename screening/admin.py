"""The provider's workspace (first cut: the queue and a submission's answers by section)."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from .answer_types import display_answer
from .models import Flag, Submission
from .questionnaire import SECTIONS


class FlagInline(admin.TabularInline):
    model = Flag
    extra = 0
    can_delete = False
    fields = ("severity", "code", "reason", "questions", "rules_version")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("reference", "submitted_at", "status")
    list_filter = ("status",)
    search_fields = ("reference", "last_name", "first_name", "email")
    readonly_fields = ("reference", "submitted_at", "questionnaire_version", "rules_version",
                       "answers_by_section")
    fields = ("reference", "submitted_at", "status", "questionnaire_version", "rules_version",
              "answers_by_section")
    inlines = [FlagInline]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Answers")
    def answers_by_section(self, submission):
        blocks = []
        for section in SECTIONS:
            rows = format_html_join(
                "", "<tr><th scope='row'>{}</th><td class='answer-text'>{}</td></tr>",
                ((question.label, display_answer(question, submission.answers[question.id]))
                 for question in section.questions if question.id in submission.answers),
            )
            blocks.append(format_html("<h3>{}</h3><table>{}</table>", section.title, rows))
        return format_html_join("", "{}", ((block,) for block in blocks))
