"""Routes under `/api/v1/` contributed by this app."""

urlpatterns: list = []
