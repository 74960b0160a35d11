"""One permission policy for every admin screen of a domain model.

The platform decides admin rights by role (and, for instructors, by what they teach), never by
Django model permissions; each screen only says who may act (`allows`) and on which rows
(`scope`), plus which actions are read-only or forbidden to everyone.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from trainees import roles

READ_ACTIONS = frozenset({"view", "inspect", "export"})


def officers_only(user, action) -> bool:
    return roles.is_officer(user)


class RolePolicy(ModelPermissionPolicy):
    def __init__(self, model, *, allows=officers_only, scope=None, allowed_actions=None,
                 denied_actions=frozenset()):  # fmt: skip
        super().__init__(model)
        self.allows = allows  # (user, action) -> bool
        self.scope = scope  # user -> Q of the rows the user may touch, or None for all
        self.allowed_actions = allowed_actions
        self.denied_actions = frozenset(denied_actions)

    def user_has_permission(self, user, action):
        if action in self.denied_actions:
            return False
        if self.allowed_actions is not None and action not in self.allowed_actions:
            return False
        return bool(self.allows(user, action))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def _rows_for(self, user):
        manager = self.model._default_manager
        condition = self.scope(user) if self.scope else None
        return manager.all() if condition is None else manager.filter(condition).distinct()

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model._default_manager.none()
        return self._rows_for(user)

    def instances_user_has_any_permission_for(self, user, actions):
        permitted = [action for action in actions if self.user_has_permission(user, action)]
        if not permitted:
            return self.model._default_manager.none()
        return self._rows_for(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return self.scope is None or self._rows_for(user).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)
