"""The issuer's DID document and the signed status lists: public, cacheable briefly."""

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .credentials import status_lists
from .credentials.did import did_document


@require_GET
@cache_control(public=True, max_age=300)
def did_json(request):
    response = JsonResponse(did_document(), json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/did+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@cache_control(public=True, max_age=60)
def status_list(request, purpose: str, number: int):
    if purpose not in status_lists.PURPOSES:
        raise Http404
    response = HttpResponse(
        status_lists.status_list_jwt(purpose, number), content_type="application/vc+jwt"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
