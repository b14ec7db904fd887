"""The decision page's preview of the flags a modality would raise reads like the stored flags:
the plain label with the code beside it, the severity's name, the question as the patient saw
it with their answer, and the rule in plain words; nothing is stored before the provider
confirms."""

import re

from screening.flags.labels import flag_label
from screening.models import Decision, Flag

QUEUE = "/staff/screening/submission/"


def preview_section(page: str) -> str:
    match = re.search(
        r'<section class="flags" aria-labelledby="modality-flags-title">.*?</section>', page, re.S
    )
    assert match, "no preview of the modality's flags"
    return match.group(0)


def test_the_modality_preview_shows_labels_beside_codes(doctor, client, submit_answers):
    submission = submit_answers(cold_sores_history="never", cold_sore_now="no")
    client.force_login(doctor)
    response = client.post(
        f"{QUEUE}{submission.pk}/decide/",
        {
            "outcome": "proceed",
            "modality": "ablative",
            "provider_skin_type": submission.answers.get("skin_type_self", "II"),
            "notes": "",
        },
    )
    assert response.status_code == 200
    preview = preview_section(response.content.decode())
    label = flag_label("HSV_PROPHYLAXIS_POLICY")
    assert label != "HSV_PROPHYLAXIS_POLICY"
    # The label leads the heading; the code follows it, marked as a code.
    heading = re.search(r"<h3>(.*?)</h3>", preview, re.S).group(1)
    assert re.search(
        rf'>Info</span>\s*{re.escape(label)}\s*<code class="flag-code">HSV_PROPHYLAXIS_POLICY</code>',
        heading,
    ), heading
    # The question as the patient saw it, with their answer, and the rule in plain words.
    assert "<dt>" in preview and '<dd class="answer-text">' in preview
    assert "cold_sores_history" not in preview
    assert "Rule:" in preview
    assert not Decision.objects.exists()
    assert not Flag.objects.filter(code="HSV_PROPHYLAXIS_POLICY").exists()
