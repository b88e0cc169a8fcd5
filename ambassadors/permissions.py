"""Who may do what with ambassador profiles: directors (with the model permissions) manage all
of them; an ambassador edits their own, and nobody else's."""

from wagtail.permission_policies import ModelPermissionPolicy

from ambassadors.models import Ambassador

OWN_PROFILE_ACTIONS = {"change"}


class AmbassadorPermissionPolicy(ModelPermissionPolicy):
    def _has_model_permission(self, user, action: str) -> bool:
        return super().user_has_permission(user, action)

    def _has_profile(self, user) -> bool:
        if not user.is_authenticated or not user.is_active:
            return False
        if not hasattr(user, "_ambassador_profile_exists"):
            user._ambassador_profile_exists = Ambassador.objects.filter(user=user).exists()
        return user._ambassador_profile_exists

    def user_has_permission(self, user, action: str) -> bool:
        if self._has_model_permission(user, action):
            return True
        return action in OWN_PROFILE_ACTIONS and self._has_profile(user)

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        if self._has_model_permission(user, action):
            return True
        return (
            action in OWN_PROFILE_ACTIONS
            and user.is_authenticated
            and user.is_active
            and instance.user_id == user.pk
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if any(self._has_model_permission(user, action) for action in actions):
            return Ambassador.objects.all()
        if OWN_PROFILE_ACTIONS & set(actions) and user.is_authenticated:
            return Ambassador.objects.filter(user=user)
        return Ambassador.objects.none()
