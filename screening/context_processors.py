"""Clinic specifics for every template (wording.md 3.4: settings, not literals)."""

from django.conf import settings


def clinic(request):
    return {
        "clinic": {
            "name": settings.CLINIC_NAME,
            "phone": settings.CLINIC_PHONE,
            "emergency_number": settings.CLINIC_EMERGENCY_NUMBER,
            "privacy_notice_url": settings.CLINIC_PRIVACY_NOTICE_URL,
            "retention_period": settings.CLINIC_RETENTION_PERIOD,
            "contact_email": settings.CLINIC_CONTACT_EMAIL,
        }
    }
