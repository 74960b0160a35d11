"""Pages for people (mounted under the language prefix, before Wagtail's catch-all)."""

urlpatterns: list = []
