"""Clinic specifics for every template: settings, never literals, so each clinic shows its own."""

import re

from django.conf import settings
from django.utils.translation import get_language, get_language_info


def tel_uri(phone: str) -> str:
    """A `tel:` link for a phone number as people write it: "(555) 010-0199" -> tel:5550100199."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def clinic(request):
    return {
        "clinic": {
            "name": settings.CLINIC_NAME,
            "phone": settings.CLINIC_PHONE,
            "phone_tel": tel_uri(settings.CLINIC_PHONE),
            "emergency_number": settings.CLINIC_EMERGENCY_NUMBER,
            "privacy_notice_url": settings.CLINIC_PRIVACY_NOTICE_URL,
            "retention_years": settings.CLINIC_RETENTION_YEARS,
            "contact_email": settings.CLINIC_CONTACT_EMAIL,
        }
    }


def languages(request):
    """The language switch's choices: every language but the page's, each named in itself."""
    current = get_language()
    return {
        "other_languages": [
            (code, get_language_info(code)["name_local"].capitalize())
            for code, _name in settings.LANGUAGES
            if code != current
        ]
    }
