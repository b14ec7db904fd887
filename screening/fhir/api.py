"""The read-only FHIR R4 API for the clinic's EHR, under /fhir/R4/.

    GET metadata                                  CapabilityStatement
    GET Questionnaire/<id>                        one version ("laser-prescreen-2026.12"), or
                                                  the current one at the canonical URL's id
    GET QuestionnaireResponse/<reference>         one submission's response (its current version)
    GET QuestionnaireResponse/<reference>/_history[/<vid>]  its versions (amended after sending)
    GET QuestionnaireResponse?_lastUpdated=gt...  search (searchset Bundle, paged with _count and
        [&_count=N][&_revinclude=DetectedIssue:implicated|ClinicalImpression:supporting-info|*]

Plain Django views: five GET endpoints returning JSON that `mapping` builds and validates do not
need a serializer, router or content negotiation of a REST framework, and DRF's authentication
and throttling would stand beside ours (`access`, `throttle/`) instead of being them. Every
request needs a token (`Authorization: Bearer fhir_...`; 401 without), takes one from the
token's bucket (429 past SCREENING_FHIR_RATE_LIMIT_PER_MINUTE) and is audited; every submission
that leaves is an `exported` audit event.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_GET

from screening.fhir import mapping
from screening.fhir.export import exportable, fhir_export
from screening.fhir.refusals import refusal_record
from screening.fhir.tokens import live_token
from screening.models import Amendment, ApiToken, AuditEvent, Submission
from screening.questionnaire import CURRENT_VERSION, DEFINITIONS
from screening.records import audit
from screening.staff import access
from throttle.buckets import bucket_key, take

FHIR_JSON = "application/fhir+json"
DEFAULT_COUNT = 50
MAX_COUNT = 200
MAX_OFFSET = 2**31 - 1
REFERENCE_MAX = Submission._meta.get_field("reference").max_length
# _revinclude values -> the resource types they add to a search's page.
REVINCLUDES = {
    "DetectedIssue:implicated": {"DetectedIssue"},
    "ClinicalImpression:supporting-info": {"ClinicalImpression"},
    "*": {"DetectedIssue", "ClinicalImpression"},
}
# Search prefixes of _lastUpdated -> the Django lookup on the resource's last update.
PREFIX_LOOKUPS = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}


def fhir_response(resource: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(resource, ensure_ascii=False), status=status, content_type=FHIR_JSON
    )


def outcome(status: int, code: str, text: str) -> HttpResponse:
    """An OperationOutcome explaining an error (never any health data)."""
    return fhir_response(
        mapping.validated(
            {
                "resourceType": "OperationOutcome",
                "issue": [{"severity": "error", "code": code, "diagnostics": text}],
            }
        ),
        status=status,
    )


def _audit_request(request, token: ApiToken, *, refused: bool = False) -> None:
    """One event per request with a live token, naming the token: its reads, its refusals."""
    audit.record(
        action=AuditEvent.Action.REFUSED if refused else AuditEvent.Action.API_READ,
        address=audit.client_address(request),
        api_token=token,
        detail=f"FHIR API {request.method} {request.path} (token #{token.pk})",
    )


def out_of_scope(request, resource_type: str):
    """403 when the request's token may not read `resource_type` (audited as its refusal)."""
    if access.token_reads(request.fhir_token, resource_type):
        return None
    _audit_request(request, request.fhir_token, refused=True)
    return outcome(403, "forbidden", f"This token's scope does not include {resource_type}.")


def token_required(view):
    """401 without a live token, 429 past its rate; every request audited."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        token = live_token(request.headers.get("Authorization", ""))
        if token is None:
            address = audit.client_address(request)
            # Unauthenticated requests share their address's bucket: a flood costs no audit rows.
            if not take(bucket_key(address or "", scope="fhir-anonymous")):
                return outcome(429, "throttled", "Too many requests.")
            refusal_record(address=address, path=request.path)
            response = outcome(401, "login", "A valid FHIR API token is required.")
            response["WWW-Authenticate"] = 'Bearer realm="fhir"'
            return response
        if not take(
            f"fhir-token-{token.pk}",
            per_minute=settings.SCREENING_FHIR_RATE_LIMIT_PER_MINUTE,
            burst=settings.SCREENING_FHIR_RATE_LIMIT_BURST,
        ):
            response = outcome(429, "throttled", "Too many requests for this token.")
            response["Retry-After"] = "1"
            return response
        _audit_request(request, token)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        request.fhir_token = token
        return view(request, *args, **kwargs)

    return require_GET(guarded)


def _base(request) -> str:
    return request.build_absolute_uri("/fhir/R4").rstrip("/")


@token_required
def metadata(request):
    """The CapabilityStatement: what this server does (read and search, nothing else)."""
    now = timezone.now().isoformat(timespec="seconds")
    read = [{"code": "read"}]
    statement = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": now,
        "publisher": settings.CLINIC_NAME,
        "kind": "instance",
        "software": {"name": "Laser resurfacing pre-screening"},
        "implementation": {"description": "Read-only FHIR API", "url": _base(request)},
        "fhirVersion": mapping.FHIR_VERSION,
        "format": [FHIR_JSON, "json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "description": "A per-integration API token: Authorization: Bearer fhir_..."
                },
                "resource": [
                    {"type": "Questionnaire", "interaction": read},
                    {
                        "type": "QuestionnaireResponse",
                        "interaction": [
                            *read,
                            {"code": "vread"},
                            {"code": "history-instance"},
                            {"code": "search-type"},
                        ],
                        "versioning": "versioned",
                        "searchRevInclude": [
                            "DetectedIssue:implicated",
                            "ClinicalImpression:supporting-info",
                        ],
                        "searchParam": [
                            {"name": "_lastUpdated", "type": "date"},
                            {"name": "_count", "type": "number"},
                        ],
                    },
                ],
            }
        ],
    }
    return fhir_response(mapping.validated(statement))


@token_required
def questionnaire_read(request, resource_id: str):
    if refused := out_of_scope(request, "Questionnaire"):
        return refused
    if resource_id == mapping.QUESTIONNAIRE_NAME:  # the canonical URL: the current version
        return fhir_response(mapping.questionnaire(CURRENT_VERSION))
    for version in DEFINITIONS:
        if resource_id == mapping.questionnaire_id(version):
            return fhir_response(mapping.questionnaire(version))
    return outcome(404, "not-found", f"No Questionnaire {resource_id}.")


def _readable(request):
    # An amendment changes the response (a new version): it is "updated" then too.
    latest_amendment = (
        Amendment.objects.filter(submission=OuterRef("pk"))
        .order_by("-answers_version")
        .values("at")
    )
    return exportable(
        access.integration_submissions(request.fhir_token, Submission.objects.all()).annotate(
            last_updated=Coalesce("erased_at", Subquery(latest_amendment[:1]), "submitted_at")
        )
    )


@token_required
def questionnaire_response_read(request, reference: str):
    if refused := out_of_scope(request, "QuestionnaireResponse"):
        return refused
    submission = _readable_response(request, reference)
    if submission is None:
        return outcome(404, "not-found", "No such QuestionnaireResponse.")
    [response] = [
        resource
        for resource in _exported(request, [submission])
        if resource["resourceType"] == "QuestionnaireResponse"
    ]
    return fhir_response(response)


def _readable_response(request, reference: str):
    """The submission a QuestionnaireResponse id names, if the token may read it; else None.
    A reference is letters, digits and dashes: anything else (a NUL, which PostgreSQL refuses
    in a query) names no response."""
    well_formed = len(reference) <= REFERENCE_MAX and reference.replace("-", "").isalnum()
    return _readable(request).filter(reference=reference).first() if well_formed else None


def _history_exported(request, submission, detail: str) -> None:
    """Earlier versions leave as the current one does: an `exported` event per submission."""
    audit.record(
        action=AuditEvent.Action.EXPORTED,
        address=audit.client_address(request),
        submission=submission,
        detail=f"FHIR (api, token #{request.fhir_token.pk}) {detail}",
        api_token=request.fhir_token,
    )


@token_required
def questionnaire_response_history(request, reference: str):
    """`_history`: every version of one response, newest first (a history Bundle); an amended
    response's earlier versions are rebuilt from the answers each amendment replaced."""
    if refused := out_of_scope(request, "QuestionnaireResponse"):
        return refused
    submission = _readable_response(request, reference)
    if submission is None:
        return outcome(404, "not-found", "No such QuestionnaireResponse.")
    versions = mapping.response_versions(submission)
    _history_exported(request, submission, "history")
    url = f"QuestionnaireResponse/{submission.reference}"
    bundle = {
        "resourceType": "Bundle",
        "type": "history",
        "total": len(versions),
        "link": [{"relation": "self", "url": f"{_base(request)}/{url}/_history"}],
        "entry": [
            {
                "fullUrl": f"{_base(request)}/{url}",
                "resource": resource,
                "request": {"method": "PUT" if version > 1 else "POST", "url": url},
                "response": {
                    "status": "200" if version > 1 else "201",
                    "etag": f'W/"{version}"',
                    "lastModified": resource["meta"]["lastUpdated"],
                },
            }
            for version, resource in sorted(versions.items(), reverse=True)
        ],
    }
    return fhir_response(mapping.validated(bundle))


@token_required
def questionnaire_response_version(request, reference: str, version: str):
    """`_history/{vid}`: one version of one response (1 as sent)."""
    if refused := out_of_scope(request, "QuestionnaireResponse"):
        return refused
    submission = _readable_response(request, reference)
    if submission is None:
        return outcome(404, "not-found", "No such QuestionnaireResponse.")
    resource = (
        mapping.response_versions(submission).get(int(version))
        if version.isdigit() and len(version) < 10
        else None
    )
    if resource is None:
        return outcome(404, "not-found", f"No version {version[:10]} of this response.")
    _history_exported(request, submission, f"version {int(version)}")
    response = fhir_response(resource)
    response["ETag"] = f'W/"{int(version)}"'
    return response


def _exported(request, submissions) -> list[dict]:
    bundle = fhir_export(
        submissions=submissions,
        actor=None,
        address=audit.client_address(request),
        channel=f"api, token #{request.fhir_token.pk}",
        api_token=request.fhir_token,
    )
    return [entry["resource"] for entry in bundle["entry"]]


class BadSearch(ValueError):
    """A search parameter we cannot honour: 400 with an OperationOutcome."""


def _instant(text: str) -> datetime:
    # An unencoded "+00:00" in a query string arrives as " 00:00": a space is never meant.
    text = text.replace(" ", "+")
    try:
        moment = parse_datetime(text)
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime(day.year, day.month, day.day)
    except ValueError:  # well formed but no such day or time ("2026-13-45")
        moment = None
    if moment is None:
        raise BadSearch("_lastUpdated: not a FHIR date or dateTime.")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _search_filters(params) -> tuple[dict, int, int, set[str]]:
    filters = {}
    for value in params.getlist("_lastUpdated"):
        prefix, rest = value[:2], value[2:]
        if prefix not in PREFIX_LOOKUPS:
            raise BadSearch("_lastUpdated takes a prefix: gt, ge, lt or le.")
        filters[f"last_updated__{PREFIX_LOOKUPS[prefix]}"] = _instant(rest)
    try:
        count = min(int(params.get("_count", DEFAULT_COUNT)), MAX_COUNT)
        offset = int(params.get("_offset", 0))
    except ValueError:
        raise BadSearch("_count and _offset are whole numbers.") from None
    if count < 0 or offset < 0:
        raise BadSearch("_count and _offset cannot be negative.")
    if offset > MAX_OFFSET:  # past any database integer: the database would refuse it
        raise BadSearch(f"_offset is at most {MAX_OFFSET}.")
    included = set()
    for value in params.getlist("_revinclude"):
        if value not in REVINCLUDES:
            raise BadSearch(f"_revinclude: {value!r} is not supported.")
        included |= REVINCLUDES[value]
    # _total and _totalMethod (fhirpy's count()) ask for the total, which every page holds.
    known = {
        "_lastUpdated",
        "_count",
        "_offset",
        "_revinclude",
        "_format",
        "_total",
        "_totalMethod",
    }
    if unknown := set(params) - known:
        raise BadSearch(f"Unsupported search parameters: {', '.join(sorted(unknown))}.")
    return filters, count, offset, included


def _page_link(request, relation: str, offset: int, count: int) -> dict:
    params = [(k, v) for k, values in request.GET.lists() for v in values if k != "_offset"]
    params = [(k, v) for k, v in params if k != "_count"] + [("_count", count)]
    params.append(("_offset", offset))
    return {
        "relation": relation,
        "url": f"{_base(request)}/QuestionnaireResponse?{urlencode(params)}",
    }


@token_required
def questionnaire_response_search(request):
    """Responses by last update, oldest first, a page at a time (next/previous links);
    `_count=0` answers the total alone."""
    if refused := out_of_scope(request, "QuestionnaireResponse"):
        return refused
    try:
        filters, count, offset, included = _search_filters(request.GET)
    except BadSearch as error:
        return outcome(400, "invalid", str(error))
    # An include named outright is refused outside the token's scope; "*" adds what it may read.
    values = request.GET.getlist("_revinclude")
    named = set().union(*(REVINCLUDES[value] for value in values if value != "*"))
    for kind in sorted(named):
        if refused := out_of_scope(request, kind):
            return refused
    if "*" in values:
        readable = {k for k in REVINCLUDES["*"] if access.token_reads(request.fhir_token, k)}
        included = named | readable
    matches = _readable(request).filter(**filters).order_by("last_updated", "pk")
    total = matches.count()
    page = list(matches[offset : offset + count])
    resources = _exported(request, page) if page else []
    entries = [
        {
            "fullUrl": f"{_base(request)}/{resource['resourceType']}/{resource['id']}",
            "resource": resource,
            "search": {
                "mode": "match"
                if resource["resourceType"] == "QuestionnaireResponse"
                else "include"
            },
        }
        for resource in resources
        if resource["resourceType"] == "QuestionnaireResponse"
        or resource["resourceType"] in included
    ]
    links = [_page_link(request, "self", offset, count)]
    if count and offset + count < total:
        links.append(_page_link(request, "next", offset + count, count))
    if count and offset > 0:
        links.append(_page_link(request, "previous", max(offset - count, 0), count))
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": links,
        "entry": entries,
    }
    return fhir_response(mapping.validated(bundle))
