"""Seed a benchmark database with realistic submissions, by bulk inserts.

Each submission gets varied, valid answers and the real flags the catalogue raises for them. The
clinic's history is mostly decided; the most recent OPEN_BACKLOG submissions are still open, as
in a clinic whose backlog is bounded by its throughput, not by its age.

On PostgreSQL (`seed_postgresql`) the rows are made by the server itself: the answer profiles and
their flags are copied in once (COPY), then INSERT ... SELECT over generate_series makes each
batch of submissions, flags and decisions, about a minute per 100,000 submissions where the ORM
took 400 s. Elsewhere (SQLite) bulk inserts through Django, for the small sizes.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.utils import timezone

from screening import flags as flag_rules
from screening.demo import no_risk_answers
from screening.models import (
    REFERENCE_ALPHABET,
    Decision,
    Flag,
    Provider,
    Submission,
    new_reference,
)
from screening.questionnaire import CONTACT_QUESTION_IDS, CURRENT_VERSION
from screening.questionnaire.validation import validate_answers

OPEN_BACKLOG = 300
BATCH = 2000
# Distinct answer profiles, each validated and flagged once; rows reuse them with their own
# names and emails (no rule reads those), which keeps 100,000 rows under two minutes.
PROFILES = 2000
TODAY = date(2026, 11, 24)

# Answer variations (questionnaire 2027.01), each valid on its own; a patient gets a random
# handful (a later one of the same gateway replaces an earlier one).
VARIATIONS = [
    {"isotretinoin_ever": "yes", "isotretinoin_current": "no", "isotretinoin_last_dose": "2026-07"},
    {"isotretinoin_ever": "yes", "isotretinoin_current": "no", "isotretinoin_last_dose": "2024-01"},
    {"isotretinoin_ever": "unsure"},
    {"cold_sores_history": "often"},
    {"current_skin_problems_area": ["cold_sore"]},
    {"skin_history": ["not_sure"], "skin_history_unsure": ["keloid"]},
    {"skin_type_self": "IV"},
    {"skin_type_self": "VI"},
    {"skin_type_self": "unsure"},
    {"treatment_areas": ["face", "neck", "chest"], "area_near_eyes": "yes"},
    {"last_significant_sun": "within_4_weeks"},
    {"last_significant_sun": "1_2_months"},
    {"recent_skin_prep": ["self_tanner"]},
    {"sun_planned_after": "unsure"},
    {
        "skin_history": ["skin_condition"],
        "skin_conditions": ["melasma", "rosacea"],
        "skin_condition_active": "no",
    },
    {"medicines_any": ["sun_sensitising"], "photosensitising_meds": ["diuretic", "other_unsure"]},
    {"medicines_any": ["blood_thinner"], "blood_thinners": ["doac"]},
    {"medicines_any": ["blood_thinner", "supplements"], "blood_thinners": ["aspirin_daily"]},
    {"health_conditions": ["diabetes"], "diabetes": "yes_controlled"},
    {"pregnancy_status": "breastfeeding"},
    {"smoking_status": "current_vape_other"},
    {"expected_result": "complete", "concern_impact": "a_lot"},
    {"recovery_time_available": "1_2_days"},
    {"medicines_any": ["topical_retinoid_acid"]},
    {"current_medications_text": "Lisinopril 10 mg", "other_conditions_text": "Asthma"},
    {
        "prior_procedures": ["filler", "neurotoxin"],
        "prior_filler_last": "2026-10",
        "prior_neurotoxin_last": "unknown",
    },
    {
        "allergies_list": ["other", "not_sure"],
        "allergy_other_text": "Penicillin: hives",
        "allergies_list_unsure": ["numbing"],
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


def _flag_columns(flag) -> tuple:
    """A raised flag's stored columns, from code to rules_version, as both seeders write them."""
    return (
        flag.code,
        flag.severity.value,
        flag.severity.rank,
        flag.reason,
        json.dumps(list(flag.sources)),
        json.dumps(flag.questions),
        flag.rules_version,
    )


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


def answer_profiles(rng: random.Random) -> list[tuple[dict, list]]:
    """PROFILES validated answer sets, each with the flags the catalogue raises for it."""
    policy = flag_rules.current_policy()
    profiles = []
    for _ in range(PROFILES):
        answers = validate_answers(
            random_answers(rng), today=TODAY, version=CURRENT_VERSION
        ).answers
        profiles.append((answers, flag_rules.flags_for(answers, TODAY, policy)))
    return profiles


def seed(total: int, *, rng_seed: int = 7, progress=None) -> int:
    """Add submissions until the database holds `total`; returns how many were added.
    `progress`, when given, is called with the number of rows done after each batch."""
    if connection.vendor == "postgresql":
        return seed_postgresql(total, rng_seed=rng_seed, progress=progress)
    existing = Submission.objects.count()
    if existing >= total:
        return 0
    rng = random.Random(rng_seed + existing)
    providers = ensure_providers()
    version = flag_rules.rules_version()
    profiles = answer_profiles(rng)
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
                            *_flag_columns(flag),
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
            if progress:
                progress(existing + added)
    finally:
        submitted_at_field.auto_now_add = True
    return added


# --- PostgreSQL: the server makes the rows ------------------------------------------------------

SERVER_BATCH = 100_000
# A submission every 7 minutes: 1,000,000 of them are about 13 years of a busy clinic's history.
MINUTES_APART = 7
# References: the row number times a large prime plus an offset, modulo 31^9, written in the
# reference alphabet: unique (the prime is coprime with 31) and looking random, like
# new_reference()'s. g * prime stays within a bigint for g up to 9 million.
REFERENCE_SPACE = 31**9
REFERENCE_PRIME = 999_999_999_989
REFERENCE_OFFSET = 12_345_678_901_234
_REFERENCE_SQL = " || ".join(
    (
        f"substr('{REFERENCE_ALPHABET}', (((g::bigint * {REFERENCE_PRIME} + {REFERENCE_OFFSET}) %% {REFERENCE_SPACE})"
        f" / {31**digit} %% 31)::int + 1, 1)" + (" || '-'" if digit in (6, 3) else "")
    )
    for digit in range(8, -1, -1)
)


def _copy_profiles(cursor, profiles: list[tuple[dict, list]]) -> None:
    """The answer profiles and their flags, into two temporary tables (COPY)."""
    cursor.execute(
        "CREATE TEMPORARY TABLE bench_profile (n int PRIMARY KEY, answers jsonb, "
        "date_of_birth date, priority_count int, discuss_count int, info_count int, "
        "top_rank int) ON COMMIT DROP"
    )
    cursor.execute(
        "CREATE TEMPORARY TABLE bench_profile_flag (n int, code text, severity text, "
        "severity_rank int, reason text, sources jsonb, questions jsonb, rules_version text) "
        "ON COMMIT DROP"
    )
    with cursor.copy("COPY bench_profile FROM STDIN") as copy:
        for number, (answers, raised) in enumerate(profiles):
            ranks = [flag.severity.rank for flag in raised]
            copy.write_row(
                (
                    number,
                    json.dumps(answers),
                    answers.get("date_of_birth") or None,
                    ranks.count(2),
                    ranks.count(1),
                    ranks.count(0),
                    max(ranks, default=-1),
                )
            )
    with cursor.copy("COPY bench_profile_flag FROM STDIN") as copy:
        for number, (_answers, raised) in enumerate(profiles):
            for flag in raised:
                copy.write_row((number, *_flag_columns(flag)))


# One batch: rows g = lo..hi (1-based over the whole seed), submission id = id_base + g.
# History (g <= open_from): decided, one in 25 withdrawn; the last OPEN_BACKLOG rows are open:
# submitted (6 in 10), in review (2), consultation booked (2, always with an appointment).
_SUBMISSIONS_SQL = f"""
INSERT INTO screening_submission (
    id, reference, draft_key, submitted_at, submitted_on, questionnaire_version, rules_version,
    answers, first_name, last_name, preferred_name, date_of_birth, email, phone, status,
    assigned_provider_id, priority_count, discuss_count, info_count, top_severity_rank,
    reviewed, erased_at, appointment_at, signature_name, signed_at, declaration_version,
    declaration_sha256, language, declaration_text_sha256
)
SELECT
    %(id_base)s + g, {_REFERENCE_SQL}, gen_random_uuid(), r.submitted_at,
    (r.submitted_at AT TIME ZONE %(zone)s)::date, %(questionnaire_version)s, %(rules_version)s,
    p.answers || jsonb_build_object('first_name', r.first_name, 'last_name', r.last_name,
                                    'email', r.email),
    r.first_name, r.last_name, '', p.date_of_birth, r.email, p.answers->>'phone',
    r.status, (%(providers)s::bigint[])[1 + g %% %(provider_count)s],
    p.priority_count, p.discuss_count, p.info_count, p.top_rank,
    r.status = 'decided', NULL,  -- reviewed: by a decision, never by a booking
    CASE
        WHEN r.status = 'consultation_booked'
            OR (r.status IN ('submitted', 'in_review') AND (g * 7919) %% 10 < 8)
            THEN %(now)s + ((g * 7919) %% 336 + 1) * interval '1 hour'
        WHEN r.status = 'decided' THEN r.submitted_at + interval '1 day'
    END,
    '', NULL, '', '', CASE WHEN g %% 5 = 0 THEN 'es' ELSE 'en' END, ''
FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g
JOIN bench_profile p ON p.n = g %% %(profile_count)s
CROSS JOIN LATERAL (
    SELECT
        %(now)s - (%(total)s - g) * interval '{MINUTES_APART} minutes' AS submitted_at,
        (%(first_names)s::text[])[1 + g %% %(first_count)s] AS first_name,
        (%(last_names)s::text[])[1 + (g / 7) %% %(last_count)s] AS last_name,
        'patient' || g || '@example.com' AS email,
        CASE
            WHEN g > %(open_from)s THEN
                CASE WHEN g %% 10 < 6 THEN 'submitted'
                     WHEN g %% 10 < 8 THEN 'in_review'
                     ELSE 'consultation_booked' END
            WHEN g %% 25 = 0 THEN 'withdrawn'
            ELSE 'decided'
        END AS status
) AS r
"""

# Decisions of the decided rows (outcome and modality varied), then their flags: a decided
# submission's priority flags were acknowledged by its provider on the decision's day.
_DECISIONS_SQL = """
INSERT INTO screening_decision (submission_id, provider_id, outcome, modality, notes,
                                provider_skin_type, decided_at, supersedes_id)
SELECT s.id, s.assigned_provider_id,
       (ARRAY['proceed', 'proceed', 'proceed_with_conditions', 'needs_in_person',
              'not_recommended_now'])[1 + s.id %% 5],
       (ARRAY['non_ablative', 'fractional_ablative', 'ablative', 'none'])[1 + s.id %% 4],
       '', (ARRAY['', 'II', 'III', 'IV'])[1 + s.id %% 4], s.appointment_at, NULL
FROM screening_submission s
WHERE s.id BETWEEN %(id_base)s + %(lo)s AND %(id_base)s + %(hi)s AND s.status = 'decided'
"""
_FLAGS_SQL = """
INSERT INTO screening_flag (submission_id, code, severity, severity_rank, reason, sources,
                            questions, rules_version, raised_by, raised_at, decision_id,
                            acknowledged_by_id, acknowledged_at, acknowledgement_comment)
SELECT s.id, f.code, f.severity, f.severity_rank, f.reason, f.sources, f.questions,
       f.rules_version, 'rules', s.submitted_at, NULL,
       CASE WHEN acknowledged THEN provider.user_id END,
       CASE WHEN acknowledged THEN s.appointment_at END, ''
FROM screening_submission s
JOIN bench_profile_flag f ON f.n = (s.id - %(id_base)s) %% %(profile_count)s
JOIN screening_provider provider ON provider.id = s.assigned_provider_id
CROSS JOIN LATERAL (SELECT s.status = 'decided' AND f.severity = 'priority' AS acknowledged) a
WHERE s.id BETWEEN %(id_base)s + %(lo)s AND %(id_base)s + %(hi)s
"""


def seed_postgresql(total: int, *, rng_seed: int = 7, progress=None) -> int:
    """`seed` on PostgreSQL, by the server: about a minute per 100,000 submissions."""
    existing = Submission.objects.count()
    if existing >= total:
        return 0
    rng = random.Random(rng_seed + existing)
    providers = ensure_providers()
    profiles = answer_profiles(rng)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM screening_submission")
        (max_id,) = cursor.fetchone()
    parameters = {
        # Row g (existing < g <= total) gets id id_base + g: above every id there.
        "id_base": max_id - existing,
        "total": total,
        "open_from": total - OPEN_BACKLOG,
        "now": timezone.now(),
        "zone": settings.TIME_ZONE,
        "questionnaire_version": CURRENT_VERSION,
        "rules_version": flag_rules.rules_version(),
        "providers": [provider.pk for provider in providers],
        "provider_count": len(providers),
        "first_names": FIRST_NAMES,
        "first_count": len(FIRST_NAMES),
        "last_names": LAST_NAMES,
        "last_count": len(LAST_NAMES),
        "profile_count": PROFILES,
    }
    for lo in range(existing + 1, total + 1, SERVER_BATCH):
        hi = min(lo + SERVER_BATCH - 1, total)
        batch = {**parameters, "lo": lo, "hi": hi}
        with transaction.atomic(), connection.cursor() as cursor:
            _copy_profiles(cursor, profiles)
            cursor.execute(_SUBMISSIONS_SQL, batch)
            cursor.execute(_DECISIONS_SQL, batch)
            cursor.execute(_FLAGS_SQL, batch)
            cursor.execute("DROP TABLE bench_profile, bench_profile_flag")
        if progress:
            progress(hi)
    with connection.cursor() as cursor:
        # The ids were given explicitly: the next one the app makes must come after them.
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('screening_submission', 'id'), "
            "(SELECT max(id) FROM screening_submission))"
        )
        # Fresh statistics, or the planner would plan the queue for the empty tables.
        cursor.execute("ANALYZE screening_submission, screening_flag, screening_decision")
    return total - existing
