"""A patient's answers in progress, kept in the server-side session until they submit.

The draft holds clean answers per finished step, the raw posted values of a step left with Back
(so that nothing typed is lost), and the time of last activity so that an idle draft expires.

A draft also records the questionnaire version it was started on (`questionnaire_version`): it
is asked, validated and submitted with that version to the end, even when a new version is
released meanwhile, so that no answer set mixes two versions. A draft stored before drafts
recorded their version was started on `LEGACY_DRAFT_VERSION`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .questionnaire import Definition, Section, UnknownVersion, definition_for
from .questionnaire.versions import CURRENT_VERSION, LEGACY_DRAFT_VERSION

SESSION_KEY = "screening_draft"
SUBMITTED_KEY = "screening_submitted"
TOUCH_INTERVAL = timedelta(minutes=1)


@dataclass
class Draft:
    key: str = field(default_factory=lambda: str(uuid.uuid4()))
    answers: dict = field(default_factory=dict)
    completed: list[str] = field(default_factory=list)
    pending: dict[str, dict] = field(default_factory=dict)  # section key -> raw posted values
    touched_at: str = ""
    # The questionnaire version this draft is answered on (a plain string, stored as is).
    questionnaire_version: str = CURRENT_VERSION

    @property
    def definition(self) -> Definition:
        return definition_for(self.questionnaire_version)

    def is_completed(self, section: Section) -> bool:
        return section.key in self.completed

    def first_incomplete(self) -> Section | None:
        return next(
            (section for section in self.definition.sections if not self.is_completed(section)),
            None,
        )

    def may_open(self, section: Section) -> bool:
        """A step opens once every step before it is finished: no skipping by URL."""
        for earlier in self.definition.sections:
            if earlier.key == section.key:
                return True
            if not self.is_completed(earlier):
                return False
        return False

    def next_after(self, section: Section) -> Section | None:
        """The next unfinished step after `section`, else any unfinished one; None: all done."""
        sections = self.definition.sections
        index = sections.index(section)
        for later in (*sections[index + 1 :], *sections[: index + 1]):
            if not self.is_completed(later):
                return later
        return None

    def complete(self, section: Section, answers: dict) -> None:
        self.answers = answers
        self.pending.pop(section.key, None)
        if section.key not in self.completed:
            self.completed.append(section.key)

    def keep_unfinished(self, section: Section, raw: dict) -> None:
        self.pending[section.key] = raw
        if section.key in self.completed:
            self.completed.remove(section.key)


def _idle_limit() -> timedelta:
    return timedelta(minutes=settings.SCREENING_DRAFT_IDLE_MINUTES)


class DraftExpired(Exception):
    """The draft was idle for longer than the clinic allows; it has been removed."""


def load(session) -> Draft | None:
    """The session's draft, or None. Raises DraftExpired (and forgets it) when it idled out."""
    stored = session.get(SESSION_KEY)
    if not stored:
        return None
    draft = Draft(**{"questionnaire_version": LEGACY_DRAFT_VERSION, **stored})
    touched = datetime.fromisoformat(draft.touched_at) if draft.touched_at else None
    now = timezone.now()
    try:
        draft.definition  # noqa: B018 - a version this code does not know cannot be continued
    except UnknownVersion:
        touched = None
    if touched is None or now - touched > _idle_limit():
        del session[SESSION_KEY]
        raise DraftExpired
    if now - touched > TOUCH_INTERVAL:
        save(session, draft)  # reading pages keeps the draft alive, with a write a minute at most
    return draft


def save(session, draft: Draft) -> None:
    draft.touched_at = timezone.now().isoformat()
    session[SESSION_KEY] = draft.__dict__.copy()


def start(session) -> Draft:
    session.cycle_key()  # a fresh session id for a fresh draft
    session.pop(SUBMITTED_KEY, None)
    draft = Draft()
    save(session, draft)
    return draft


def finish(session, draft: Draft, reference: str) -> None:
    """Forget the answers; remember only which submission this session made."""
    session.pop(SESSION_KEY, None)
    session[SUBMITTED_KEY] = {"reference": reference, "draft_key": draft.key}
