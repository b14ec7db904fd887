"""FHIR R4 out: the questionnaire versions, each submission's response, flags and decisions.

- `mapping`: pure functions from our records to FHIR resources (dicts), each validated by the
  R4(B) models of `fhir.resources` before it leaves;
- `tokens`: the API tokens an integration (the clinic's EHR) authenticates with;
- `api`: the read-only REST surface under /fhir/R4/ (CapabilityStatement, Questionnaire,
  QuestionnaireResponse search).
"""
