"""Create the four role groups with their Wagtail and Django permissions.

Permissions are normally created after migrations; they are created here first so the groups
can be granted them on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Trainee": {"model": [], "pages": [], "collections": []},
    "Instructor": {
        "model": [("wagtailadmin", "admin", "access_admin")],
        "pages": [],  # page rights are granted per assigned course
        "collections": [
            ("wagtailimages", "image", ["add", "choose"]),
            ("wagtaildocs", "document", ["add", "choose"]),
        ],
    },
    "Certification officer": {
        "model": [
            ("wagtailadmin", "admin", "access_admin"),
            ("trainees", "organisation", "add_organisation"),
            ("trainees", "organisation", "change_organisation"),
            ("trainees", "organisation", "view_organisation"),
            ("trainees", "traineeprofile", "view_traineeprofile"),
            ("trainees", "traineeprofile", "change_traineeprofile"),
            ("institute", "auditrecord", "view_auditrecord"),
        ],
        "pages": ["add", "change", "publish", "lock", "unlock"],
        "collections": [
            ("wagtailimages", "image", ["add", "change", "delete", "choose"]),
            ("wagtaildocs", "document", ["add", "change", "delete", "choose"]),
        ],
    },
    "Organisation manager": {"model": [], "pages": [], "collections": []},
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()

    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, codename in grants["model"]:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        for action in grants["pages"]:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=f"{action}_page"
            )
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=permission
            )
        for app_label, model, actions in grants["collections"]:
            for action in actions:
                permission = Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                )
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("trainees", "0002_organisation_traineeprofile"),
        ("institute", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
