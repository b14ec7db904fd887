"""Seed a benchmark database with realistic submissions, by bulk inserts.

Each submission gets varied, valid answers and the real flags the catalogue raises for them. The
clinic's history is mostly decided; the most recent OPEN_BACKLOG submissions are still open, as
in a clinic whose backlog is bounded by its throughput, not by its age.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, timedelta

from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.utils import timezone

from screening import flags as flag_rules
from screening.demo import no_risk_answers
from screening.models import Decision, Flag, Provider, Submission, new_reference
from screening.questionnaire import CONTACT_QUESTION_IDS, CURRENT_VERSION
from screening.validation import validate_answers

OPEN_BACKLOG = 300
BATCH = 2000
# Distinct answer profiles, each validated and flagged once; rows reuse them with their own
# names and emails (no rule reads those), which keeps 100,000 rows under two minutes.
PROFILES = 2000
TODAY = date(2026, 11, 24)

# Answer variations, each valid on its own; a patient gets a random handful.
VARIATIONS = [
    {"isotretinoin_ever": "yes", "isotretinoin_current": "no", "isotretinoin_last_dose": "2026-07"},
    {"isotretinoin_ever": "yes", "isotretinoin_current": "no", "isotretinoin_last_dose": "2024-01"},
    {"isotretinoin_ever": "unsure"},
    {"cold_sores_history": "often"},
    {"cold_sore_now": "yes"},
    {"keloid_history": "unsure"},
    {"skin_type_self": "IV"},
    {"skin_type_self": "VI"},
    {"skin_type_self": "unsure"},
    {"treatment_areas": ["face", "neck", "chest"], "area_near_eyes": "yes"},
    {"last_significant_sun": "within_4_weeks"},
    {"last_significant_sun": "1_2_months"},
    {"self_tanner_recent": "yes"},
    {"sun_planned_after": "unsure"},
    {"skin_conditions": ["melasma", "rosacea"]},
    {"photosensitising_meds": ["diuretic", "other_unsure"]},
    {"blood_thinners": ["doac"]},
    {"blood_thinners": ["aspirin_daily"], "bleeding_supplements": "yes"},
    {"diabetes": "yes_controlled"},
    {"pregnancy_status": "breastfeeding"},
    {"smoking_status": "current_vape_other"},
    {"expected_result": "complete", "concern_impact": "a_lot"},
    {"recovery_time_available": "1_2_days"},
    {"topical_retinoid_acid_current": "yes"},
    {"current_medications_text": "Lisinopril 10 mg", "other_conditions_text": "Asthma"},
    {
        "prior_procedures": ["filler", "neurotoxin"],
        "prior_filler_last": "2026-10",
        "prior_neurotoxin_last": "unknown",
    },
    {
        "allergies_any": "yes",
        "allergy_other_text": "Penicillin: hives",
        "allergy_local_anaesthetic": "unsure",
    },
]
FIRST_NAMES = ["Ana", "Ben", "Chloé", "Dmitri", "Ewa", "Farah", "Gus", "Hana", "Iker", "Jun"]
LAST_NAMES = ["Alvarez", "Brown", "Chen", "Dubois", "Eze", "Fischer", "García", "Hughes", "Ito"]


def random_answers(rng: random.Random) -> dict:
    answers = no_risk_answers(
        date_of_birth=(
            f"{rng.randint(1950, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        ),
    )
    for variation in rng.sample(VARIATIONS, rng.randint(0, 5)):
        answers.update(variation)
    return answers


def insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(column) for column in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def ensure_providers(count: int = 5) -> list[Provider]:
    group = Group.objects.get(name="Provider")
    providers = []
    for number in range(count):
        user, created = User.objects.get_or_create(
            username=f"bench-provider-{number}",
            defaults={"is_staff": True, "email": f"bench{number}@clinic.example"},
        )
        if created:
            user.set_password("bench-password")
            user.save()
            user.groups.add(group)
        provider, _ = Provider.objects.get_or_create(
            user=user,
            defaults={
                "display_name": f"Dr Bench {number}",
                "credential": "MD",
                "level": "physician",
            },
        )
        providers.append(provider)
    return providers


def seed(total: int, *, rng_seed: int = 7) -> int:
    """Add submissions until the database holds `total`; returns how many were added."""
    existing = Submission.objects.count()
    if existing >= total:
        return 0
    rng = random.Random(rng_seed + existing)
    providers = ensure_providers()
    policy = flag_rules.current_policy()
    version = flag_rules.rules_version(policy)
    profiles = []
    for _ in range(PROFILES):
        answers = validate_answers(
            random_answers(rng), today=TODAY, version=CURRENT_VERSION
        ).answers
        profiles.append((answers, flag_rules.flags_for(answers, TODAY, policy)))
    submitted_at_field = Submission._meta.get_field("submitted_at")
    submitted_at_field.auto_now_add = False  # keep the spread of historical dates
    now = timezone.now()
    added = 0
    try:
        for start in range(existing, total, BATCH):
            stop = min(start + BATCH, total)
            submissions, flag_lists = [], []
            for index in range(start, stop):
                profile, raised = profiles[index % PROFILES]
                answers = {
                    **profile,
                    "first_name": rng.choice(FIRST_NAMES),
                    "last_name": rng.choice(LAST_NAMES),
                    "email": f"patient{index}@example.com",
                }
                ranks = [flag.severity.rank for flag in raised]
                is_open = index >= total - OPEN_BACKLOG
                submissions.append(
                    Submission(
                        reference=new_reference(),
                        draft_key=uuid.uuid4(),
                        submitted_at=now - timedelta(minutes=(total - index) * 7),
                        submitted_on=TODAY,
                        questionnaire_version=CURRENT_VERSION,
                        rules_version=version,
                        answers=answers,
                        status=Submission.Status.SUBMITTED
                        if is_open
                        else Submission.Status.DECIDED,
                        reviewed=not is_open,
                        # Open ones: a consultation in the next two weeks for most (the queue's
                        # order); decided ones had theirs a day after submission.
                        appointment_at=(
                            now + timedelta(hours=rng.randint(1, 14 * 24))
                            if rng.random() < 0.8
                            else None
                        )
                        if is_open
                        else now - timedelta(minutes=(total - index) * 7 - 24 * 60),
                        assigned_provider=providers[index % len(providers)],
                        priority_count=ranks.count(2),
                        discuss_count=ranks.count(1),
                        info_count=ranks.count(0),
                        top_severity_rank=max(ranks, default=-1),
                        **{qid: answers.get(qid, "") for qid in CONTACT_QUESTION_IDS},
                    )
                )
                flag_lists.append(raised)
            with transaction.atomic():
                saved = Submission.objects.bulk_create(submissions)
                stamp = connection.ops.adapt_datetimefield_value(now)
                # Flags and decisions are most of the rows: plain executemany skips the ORM's
                # per-field preparation, which would take minutes at 100,000 submissions.
                insert_rows(
                    Flag,
                    [
                        "submission_id",
                        "code",
                        "severity",
                        "severity_rank",
                        "reason",
                        "sources",
                        "questions",
                        "rules_version",
                        "raised_by",
                        "raised_at",
                        "acknowledgement_comment",
                    ],
                    [
                        (
                            submission.pk,
                            flag.code,
                            flag.severity.value,
                            flag.severity.rank,
                            flag.reason,
                            json.dumps(list(flag.sources)),
                            json.dumps(flag.questions),
                            flag.rules_version,
                            Flag.RaisedBy.RULES.value,
                            stamp,
                            "",
                        )
                        for submission, raised in zip(saved, flag_lists, strict=True)
                        for flag in raised
                    ],
                )
                insert_rows(
                    Decision,
                    [
                        "submission_id",
                        "provider_id",
                        "outcome",
                        "modality",
                        "notes",
                        "provider_skin_type",
                        "decided_at",
                    ],
                    [
                        (
                            submission.pk,
                            submission.assigned_provider_id,
                            "proceed",
                            "non_ablative",
                            "",
                            "",
                            stamp,
                        )
                        for submission in saved
                        if submission.status == Submission.Status.DECIDED
                    ],
                )
            added += len(saved)
    finally:
        submitted_at_field.auto_now_add = True
    return added
