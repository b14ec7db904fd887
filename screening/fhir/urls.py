"""The FHIR API's routes (mounted at /fhir/R4/ by clinic/urls.py)."""

from django.urls import path

from screening.fhir import api

app_name = "fhir"

urlpatterns = [
    path("metadata", api.metadata, name="metadata"),
    path("Questionnaire/<str:resource_id>", api.questionnaire_read, name="questionnaire"),
    path(
        "QuestionnaireResponse",
        api.questionnaire_response_search,
        name="questionnaire_response_search",
    ),
    path(
        "QuestionnaireResponse/<str:reference>",
        api.questionnaire_response_read,
        name="questionnaire_response",
    ),
    path(
        "QuestionnaireResponse/<str:reference>/_history",
        api.questionnaire_response_history,
        name="questionnaire_response_history",
    ),
    path(
        "QuestionnaireResponse/<str:reference>/_history/<str:version>",
        api.questionnaire_response_version,
        name="questionnaire_response_version",
    ),
]
