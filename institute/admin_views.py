"""Admin view pieces shared by the apps' Wagtail viewsets."""

from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import DeleteView


class ProtectedDeleteMixin:
    """A record that others still point at (PROTECT: attempts, applications, scores) cannot be
    deleted. Wagtail's usage check only knows references it indexes, so without this the
    database refusal surfaced as a 500; say so and go back instead."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, _("This record is still in use, so it cannot be deleted."))
            return HttpResponseRedirect(self.get_success_url())


class ProtectedDeleteView(ProtectedDeleteMixin, DeleteView):
    pass
