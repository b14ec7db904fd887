"""Evaluate the flag catalogue for an answers file, for people and tools outside the web form.

    python manage.py evaluate_flags ANSWERS.json [--today YYYY-MM-DD]
        [--questionnaire-version VERSION]

The answers are read (validated and flagged) as answers to questionnaire VERSION, by default the
current one; a file of answers given on an older version must name it, so that its questions
and choices mean what the patient saw (Django keeps `--version` for itself).
Prints the flags as JSON, most severe first. Invalid answers: one line per problem on stderr,
naming the question id, nothing on stdout, and exit status 2.
"""

import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from screening import flags as flag_rules
from screening.questionnaire import CURRENT_VERSION, DEFINITIONS
from screening.questionnaire.validation import validate_answers

INVALID_ANSWERS_STATUS = 2


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must be a date like 2026-11-24, got {text!r}") from None


class Command(BaseCommand):
    help = "Print the flags raised by an answers file (JSON keyed by question id)."

    def add_arguments(self, parser):
        parser.add_argument("answers_file", help="a JSON file of answers, or - for stdin")
        parser.add_argument(
            "--today",
            type=_iso_date,
            default=None,
            help="the submission date the rules measure from (default: today)",
        )
        parser.add_argument(
            "--questionnaire-version",
            choices=list(DEFINITIONS),
            default=CURRENT_VERSION,
            help=f"the questionnaire version the answers were given on (default: {CURRENT_VERSION})",
        )

    def handle(self, *args, answers_file, today, questionnaire_version, **options):
        today = today or timezone.localdate()
        try:
            text = sys.stdin.read() if answers_file == "-" else Path(answers_file).read_text()
            answers = json.loads(text)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {answers_file}: {error}") from None
        except json.JSONDecodeError as error:
            self.stderr.write(f"__all__: not valid JSON ({error})")
            sys.exit(INVALID_ANSWERS_STATUS)
        validated = validate_answers(answers, today=today, version=questionnaire_version)
        if not validated.is_valid:
            for question_id, message in validated.errors.items():
                self.stderr.write(f"{question_id}: {message}")
            sys.exit(INVALID_ANSWERS_STATUS)
        policy = flag_rules.current_policy()
        raised = flag_rules.flags_for(
            validated.answers, today, policy, questionnaire_version=questionnaire_version
        )
        self.stdout.write(
            json.dumps(
                [
                    {
                        "code": flag.code,
                        "severity": str(flag.severity),
                        "reason": flag.reason,
                        "questions": flag.questions,
                        "sources": list(flag.sources),
                        "rules_version": flag.rules_version,
                    }
                    for flag in raised
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
