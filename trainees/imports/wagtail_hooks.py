"""The admin menu entry "Import trainees" (officers); loaded by `trainees/wagtail_hooks.py`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from trainees import roles


class OfficerMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.is_officer(request.user)


@hooks.register("register_admin_menu_item")
def import_trainees_menu_item():
    return OfficerMenuItem(
        _("Import trainees"), reverse("trainee-import"), icon_name="upload", order=330
    )
