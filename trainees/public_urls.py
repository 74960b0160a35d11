"""Machine-readable public routes that are never language-prefixed (e.g. `/.well-known/`)."""

urlpatterns: list = []
