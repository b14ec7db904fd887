"""The re-screen's pages as data: which questions, cards and lines each step shows.

A `Rescreen` is built per request from the draft (today's answers, the cards confirmed or
opened), the invitation's previous submission and the carry-over plan; the views only ask it
what a page holds and hand the posted values back. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from django.utils.translation import gettext_lazy as _

from screening.models import Invitation, SavedDraft, Submission
from screening.patient.forms import summary_label
from screening.questionnaire import Definition, Question, Section
from screening.questionnaire import carry_over as co
from screening.questionnaire.answer_types import display_answer
from screening.questionnaire.validation import is_blank
from screening.questionnaire.visit import VISIT_KEY, OnVisit, Visit
from screening.questionnaire.visit_labels import label_for_visit, visit_dates
from screening.visits import rescreen

BIRTH_DATE_ID = "date_of_birth"
CONFIRMED, OPENED = "confirmed", "opened"
MEDICINES_OPEN_ANSWERS = ("yes", "unsure")


@dataclass(frozen=True)
class Step:
    key: str
    slug: str
    title: object


SINCE = Step("since", "since-your-last-visit", _("Since your last visit"))
TODAY = Step("today", "your-skin-today", _("Your skin today"))
STILL_TRUE = Step("still_true", "is-this-still-true", _("Is this still true?"))
STEPS: tuple[Step, ...] = (SINCE, TODAY, STILL_TRUE)
STEPS_BY_SLUG = {step.slug: step for step in STEPS}

STEP_1_IDS = (
    "last_session_problems",
    "last_session_problems_unsure",
    "last_session_still_now",
    "last_session_seen_for_it",
    "last_session_result_view",
    "anything_else_text",
    "since_last_treatments",
)
STEP_2_NOW_IDS = (
    "current_skin_problems_area",
    "current_skin_problems_area_unsure",
    "skin_condition_active",
    "vitiligo_active_12m",
    "last_significant_sun",
    "pregnancy_status",
    *co.RETINOID_IDS,
)
STEP_2_MEDICINE_IDS = (
    "medicines_any",
    "immunosuppressant_meds",
    "blood_thinners",
    "photosensitising_meds",
    "medicines_any_unsure",
    "current_medications_text",
)
STEP_3_END_IDS = ("questions_for_provider_text",)


@dataclass
class CardView:
    """One card on a page: its lines (short label, the answer in today's words), whether it is
    confirmed or open for changes, and the questions asked inside it."""

    key: str
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)
    state: str = ""  # CONFIRMED, OPENED or "" (not yet decided)
    questions: list[Question] = field(default_factory=list)


def step_section(step: Step, questions) -> Section:
    """A step's page as a section (the forms lay out a section's questions)."""
    return Section(
        key=f"rescreen-{step.key}", slug=step.slug, title=step.title, questions=tuple(questions)
    )


class Rescreen:
    """One patient's re-screen, as of `today`."""

    def __init__(
        self, *, draft, saved: SavedDraft, invitation: Invitation, today: date, months: int
    ):
        self.draft = draft
        self.saved = saved
        self.invitation = invitation
        self.previous: Submission = invitation.previous_submission
        self.visit: Visit = rescreen.visit_for_invitation(invitation)
        self.definition: Definition = draft.definition
        self.today = today
        self.months = months
        self.state = {CONFIRMED: [], OPENED: [], **(saved.rescreen or {})}
        self.previous_view = rescreen.previous_for(self.previous)
        self.answered = {k: v for k, v in draft.answers.items() if k != BIRTH_DATE_ID}
        self.plan = co.plan(
            self.previous_view,
            today=today,
            definition=self.definition,
            today_answers=self.answered,
            months=months,
            notice_version=rescreen.privacy_notice_version(),
        )

    # --- What is known ----------------------------------------------------------------------

    def merged(self, extra: dict | None = None) -> dict:
        """The answers as they stand: carried, then today's, then `extra` (a page's posted)."""
        carried = {qid: value for qid, value in self.plan.carried.items()}
        return {**carried, **self.answered, **(extra or {})}

    def shown(self, question: Question, answers: dict) -> bool:
        return question.is_shown({**answers, VISIT_KEY: self.visit})

    def _questions(self, ids, answers: dict, *, page_ids=()) -> list[Question]:
        """The questions of `ids` that exist today and may be asked: an `OnVisit` question only
        when its visit test holds; a follow-up whose parent is on the page always (it opens in
        place), otherwise only when it applies to the answers as they stand."""
        found = []
        listed = {*ids, *page_ids}
        for qid in ids:
            question = self.definition.questions.get(qid)
            if question is None:
                continue
            condition = question.show_if
            if isinstance(condition, OnVisit) or condition is None:
                if not self.shown(question, answers):
                    continue
            elif condition.question_id not in listed and not self.shown(question, answers):
                continue
            found.append(self.worded(question))
        return found

    def worded(self, question: Question) -> Question:
        """The question with this visit's dates in its words ("Since your treatment here on
        March 3")."""
        label = _label_for_visit(question, self.visit)
        return question if label == str(question.label) else replace(question, label=label)

    # --- Cards ------------------------------------------------------------------------------

    def card_state(self, card: co.Card) -> str:
        if card.key in self.state[OPENED] or card.key in self.plan.change_mode:
            return OPENED
        if card.key in self.state[CONFIRMED]:
            return CONFIRMED
        return ""

    def card_title(self, card: co.Card) -> str:
        if card.key == co.GOALS.key:
            return str(co.GOALS_TITLE) % {"form_date": self.form_date_words}
        section = self.definition.sections_by_key.get(card.section_key)
        return str(section.title) if section else card.key

    def card_view(self, card: co.Card, answers: dict) -> CardView:
        view = CardView(key=card.key, title=self.card_title(card), state=self.card_state(card))
        if view.state == OPENED:
            view.questions = self._questions(
                [qid for qid in card.ids if qid in self.definition.questions], answers
            )
            return view
        for qid in self.plan.on_card(card):
            question = self.definition.questions.get(qid)
            if question is not None:
                view.lines.append(
                    (summary_label(question), display_answer(question, self.plan.carried[qid]))
                )
        view.questions = self._questions(self.plan.blank_on(card), answers)
        return view

    @property
    def form_date_words(self) -> str:
        return _visit_dates(self.visit)["form_date"]

    # --- The steps --------------------------------------------------------------------------

    def cards_of(self, step: Step) -> tuple[co.Card, ...]:
        if step is TODAY:
            return (co.GOALS,)
        if step is STILL_TRUE:
            return co.STEP_3_CARDS
        return ()

    def medicines_open(self, answers: dict) -> bool:
        """Whether step 2 asks the medicine questions: the stored list is not shown, or the
        patient said Yes or Not sure to a change since."""
        if not self.plan.medicines_listed:
            return True
        return answers.get("since_last_medicines") in MEDICINES_OPEN_ANSWERS

    def page(self, step: Step, posted: dict | None = None) -> dict:
        """What a step shows, from the answers as they stand and what was just posted: its
        cards (each with its questions), the other questions in order, and every question on
        the page (for its form)."""
        answers = self.merged(posted)
        cards = [self.card_view(card, answers) for card in self.cards_of(step)]
        in_cards = [question for card in cards for question in card.questions]
        before, after, medicine_list = [], [], []
        if step is SINCE:
            before = self._questions(STEP_1_IDS, answers)
        elif step is TODAY:
            before = self._questions(STEP_2_NOW_IDS, answers)
            since = self._questions(("since_last_medicines",), answers)
            if self.plan.medicines_listed:
                medicine_list = self.medicine_lines()
            after = since
            if self.medicines_open(answers):
                after = [*since, *self._questions(STEP_2_MEDICINE_IDS, answers)]
        else:
            after = self._questions(STEP_3_END_IDS, answers)
        questions = [*in_cards, *before, *after]
        return {
            "cards": cards,
            "before": before,
            "after": after,
            "medicine_list": medicine_list,
            "questions": questions,
        }

    def medicine_lines(self) -> list[tuple[str, str]]:
        lines = []
        for qid in co.MEDICINE_LIST_IDS:
            if qid in self.plan.carried and qid in self.definition.questions:
                question = self.definition.questions[qid]
                lines.append(
                    (summary_label(question), display_answer(question, self.plan.carried[qid]))
                )
        return lines

    def initial(self, step: Step, questions) -> dict:
        """A page's values: what was typed and kept (Back, a card's button), else today's
        answers, else (an opened card, the medicine list) the carried ones."""
        pending = self.draft.pending.get(step_section(step, ()).key) or {}
        values = {}
        for question in questions:
            qid = question.id
            if qid in self.answered:
                values[qid] = self.answered[qid]
            elif (
                # An opened card shows what was said before; the medicine list opens to edit.
                self.plan.outcomes.get(qid) is co.Outcome.CARD
                and qid in self.plan.carried
                and (qid in co.CARD_OF or qid == "current_medications_text")
            ):
                values[qid] = self.plan.carried[qid]
        return {**values, **pending}

    # --- The result -------------------------------------------------------------------------

    def confirmed_ids(self) -> set[str]:
        ids = set()
        for card in co.CARDS:
            if self.card_state(card) == CONFIRMED:
                ids.update(self.plan.on_card(card))
        if self.plan.medicines_listed and self.answered.get("since_last_medicines") == "no":
            ids.update(qid for qid in co.MEDICINE_LIST_IDS if qid in self.plan.carried)
        return ids

    def result(self, extra: dict | None = None) -> tuple[dict, dict]:
        """(answers, provenance) of the submission to send."""
        answered = {**self.answered, **(extra or {})}
        return co.record(
            self.previous_view,
            self.plan,
            today=self.today,
            answered={k: v for k, v in answered.items() if not is_blank(v)},
            confirmed=self.confirmed_ids(),
        )

    def step_of(self, question_id: str) -> Step:
        """The step that asks a question (where an invalid answer is corrected)."""
        if question_id in STEP_1_IDS:
            return SINCE
        if question_id in co.GOALS.ids or question_id in (
            *STEP_2_NOW_IDS,
            *STEP_2_MEDICINE_IDS,
            "since_last_medicines",
        ):
            return TODAY
        return STILL_TRUE


def _visit_dates(visit: Visit) -> dict:
    return visit_dates(visit)


def _label_for_visit(question: Question, visit: Visit) -> str:
    return label_for_visit(question, visit)
