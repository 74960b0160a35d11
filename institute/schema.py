def only_public_api(endpoints):
    """Keep the OpenAPI document to `/api/v1/` (not the Wagtail admin's internal API)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
