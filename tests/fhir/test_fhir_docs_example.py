"""docs/fhir.md's example Bundle (docs/fhir/example-bundle.json) is one the API could serve: the
R4 models accept it, and its questionnaire, items and flag code exist in the code as it is."""

import json
from pathlib import Path

from screening.fhir.mapping import validated
from screening.flags.catalogue import RULES_BY_CODE
from screening.questionnaire.versions import definition_for

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "fhir" / "example-bundle.json"


def resources():
    bundle = json.loads(EXAMPLE.read_text())
    return bundle, {
        entry["resource"]["resourceType"]: entry["resource"] for entry in bundle["entry"]
    }


def test_the_example_is_a_valid_r4_bundle_of_valid_resources():
    bundle, by_type = resources()
    validated(bundle)
    for resource in by_type.values():
        validated(resource)
    assert set(by_type) == {"QuestionnaireResponse", "DetectedIssue", "ClinicalImpression"}


def test_its_items_are_the_questionnaire_versions_sections_and_questions():
    _, by_type = resources()
    response = by_type["QuestionnaireResponse"]
    url, version = response["questionnaire"].split("|")
    assert url.endswith("/Questionnaire/laser-prescreen")
    definition = definition_for(version)
    sections = {section.key: set(section.question_ids) for section in definition.sections}
    for group in response["item"]:
        assert group["linkId"] in sections
        for item in group.get("item", []):
            assert item["linkId"] in sections[group["linkId"]]


def test_its_flag_is_a_rule_of_the_catalogue():
    _, by_type = resources()
    codes = [coding["code"] for coding in by_type["DetectedIssue"]["code"]["coding"]]
    assert any(code in RULES_BY_CODE for code in codes), codes
