"""Demo data for `make run`: staff logins of each role and a few submissions (debug only)."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from screening.demo import no_risk_answers, no_risk_answers_v1, no_risk_answers_v2
from screening.invitations.rescreen import rescreen_invitation_create
from screening.models import Decision, Provider, Submission
from screening.patient.submission import submission_create
from screening.questionnaire import CURRENT_VERSION
from screening.staff.decisions import decision_record

DEMO_PASSWORD = "demo-password-change-me"  # a printed demo login, debug only
# username -> (role group, provider display name, credential, level). No superuser: those are
# made only with `manage.py createsuperuser`.
DEMO_STAFF = {
    "demo-admin": ("Clinic admin", None, None, None),
    "demo-doctor": ("Provider", "Dr Demo Reyes", "MD, dermatologist", "physician"),
    "demo-np": ("Provider", "Demo Kim", "NP", "nurse_practitioner"),
    "demo-frontdesk": ("Front desk", None, None, None),
    "demo-privacy": ("Privacy officer", None, None, None),
}

# Fictional patients (no real person) with a spread of answers, from no flags to many.
DEMO_PATIENTS = [
    {"first_name": "Demo", "last_name": "Lowrisk"},
    {
        "first_name": "Demo",
        "last_name": "Isotretinoin",
        "isotretinoin_ever": "yes",
        "oral_retinoid_type": ["isotretinoin"],
        "isotretinoin_current": "no",
        "isotretinoin_last_dose": "MONTHS_AGO_4",
        "cold_sores_history": "often",
        "skin_type_self": "IV",
    },
    {
        "first_name": "Demo",
        "last_name": "Coldsore",
        "cold_sore_now": "yes",
        "keloid_history": "unsure",
        "treatment_areas": ["face", "neck"],
        "area_near_eyes": "yes",
        # Answered in Spanish: staff read it in English, with "answered in Spanish" shown and
        # the free text as typed.
        "language": "es",
        "anything_else_text": "Tuve un fuego (herpes labial) la semana pasada.",
    },
    {
        "first_name": "Demo",
        "last_name": "Pregnant",
        "pregnancy_status": "pregnant",
        "smoking_status": "current_cigarettes",
        "blood_thinners": ["aspirin_daily"],
    },
    {
        "first_name": "Demo",
        "last_name": "Pacemaker",
        "energy_device_safety": ["pacemaker_icd"],
        "prior_procedures": ["fractional_ablative_laser", "tattoo_pmu"],
        "prior_fractional_ablative_laser_last": "MONTHS_AGO_3",
        "prior_tattoo_pmu_last": "MONTHS_AGO_30",
        "treatment_areas": ["face", "other"],
        "treatment_areas_other": "Upper arms",
    },
]

# Submissions answered on questionnaire 2026.11.1 before v2: still shown with v1's words.
DEMO_PATIENTS_V1 = [
    {
        "first_name": "Demo",
        "last_name": "Versionone",
        "prior_procedures": ["nonablative_laser"],
        "prior_nonablative_laser_last": "MONTHS_AGO_2",
    },
]


# Hours from now to each demo patient's consultation (None: not booked yet), in the order of
# DEMO_PATIENTS then DEMO_PATIENTS_V1: a day with a priority patient this afternoon.
DEMO_APPOINTMENT_HOURS = [26, 4, 3, None, 150, None]


def _months_ago(today, months):
    month_index = today.year * 12 + today.month - 1 - months
    return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"


class Command(BaseCommand):
    help = "Create a demo clinic admin and a few demo submissions (refused when DEBUG is off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs in debug mode: it creates a known login.")
        self._create_staff()
        today = timezone.localdate()
        created = 0
        patients = [(p, no_risk_answers_v2, "2026.12") for p in DEMO_PATIENTS] + [
            (p, no_risk_answers_v1, "2026.11.1") for p in DEMO_PATIENTS_V1
        ]
        for index, (overrides, base, version) in enumerate(patients):
            key = uuid.uuid5(uuid.NAMESPACE_URL, f"demo-patient-{index}")
            if Submission.objects.filter(draft_key=key).exists():
                continue
            overrides = dict(overrides)
            language = overrides.pop("language", "en")
            answers = base(email=f"demo{index}@example.com", **overrides)
            for question_id, value in answers.items():
                if isinstance(value, str) and value.startswith("MONTHS_AGO_"):
                    answers[question_id] = _months_ago(today, int(value.rsplit("_", 1)[1]))
            created_submission = submission_create(
                draft_key=str(key),
                answers=answers,
                today=today,
                questionnaire_version=version,
                signature_name=f"{answers['first_name']} {answers['last_name']}",
                language=language,
            )
            hours = DEMO_APPOINTMENT_HOURS[index] if index < len(DEMO_APPOINTMENT_HOURS) else None
            if hours is not None:
                Submission.objects.filter(pk=created_submission.pk).update(
                    appointment_at=timezone.now() + timedelta(hours=hours)
                )
            created += 1
        self.stdout.write(f"Demo data ready ({created} new submissions).")
        link = self._create_series_patient(today)
        if link:
            self.stdout.write(
                f"A returning series patient's re-screen link (date of birth 1985-06-15): {link}"
            )
        self.stdout.write(
            f"Staff logins at {settings.SCREENING_STAFF_BASE_URL.rstrip('/')}/staff/ (password "
            f"{DEMO_PASSWORD}): " + ", ".join(DEMO_STAFF)
        )

    def _create_series_patient(self, today):
        """A patient in a fractional series on the current questionnaire: the first form six
        weeks ago, a provider's decision "next session in about 6 weeks", treated here five
        weeks ago, and the front desk's return-visit invitation for the day after tomorrow.
        Returns the re-screen link the first time (never stored: only its hash is)."""
        key = uuid.uuid5(uuid.NAMESPACE_URL, "demo-series-patient")
        if Submission.objects.filter(draft_key=key).exists():
            return ""
        first_form_on = today - timedelta(days=42)
        answers = no_risk_answers(
            first_name="Demo",
            last_name="Series",
            email="demo-series@example.com",
            date_of_birth="1985-06-15",
            skin_concerns=["acne_scars"],
        )
        first = submission_create(
            draft_key=str(key),
            answers=answers,
            today=first_form_on,
            questionnaire_version=CURRENT_VERSION,
            signature_name="Demo Series",
        )
        Submission.objects.filter(pk=first.pk).update(
            submitted_at=timezone.now() - timedelta(days=42),
            appointment_at=timezone.now() - timedelta(days=35),
        )
        first.refresh_from_db()
        doctor = get_user_model().objects.get(username="demo-doctor")
        Submission.objects.filter(pk=first.pk).update(assigned_provider=doctor.provider)
        first.refresh_from_db()
        decision_record(
            submission=first,
            outcome=Decision.Outcome.PROCEED,
            modality=Decision.Modality.NON_ABLATIVE,
            notes="Non-ablative fractional series for acne scars (demo).",
            actor=doctor,
            next_session_weeks=6,
        )
        front_desk = get_user_model().objects.get(username="demo-frontdesk")
        created = rescreen_invitation_create(
            actor=front_desk,
            previous=first,
            visit_type=Submission.VisitType.SERIES_SESSION,
            appointment_at=timezone.now() + timedelta(days=2),
            treatment_date=today - timedelta(days=35),
            email="demo-series@example.com",
        )
        return created.link

    def _create_staff(self):
        user_model = get_user_model()
        for username, (role, name, credential, level) in DEMO_STAFF.items():
            user, created = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "is_staff": True,
                    "is_superuser": False,
                    "email": f"{username}@clinic.example",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                user.groups.add(Group.objects.get(name=role))
            if level:
                Provider.objects.get_or_create(
                    user=user,
                    defaults={"display_name": name, "credential": credential, "level": level},
                )
