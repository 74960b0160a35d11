from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="trainees_profile_for_user")
def ensure_trainee_profile(sender, instance, created, raw=False, **kwargs):
    """Every account has a trainee profile, however it was created (sign-up, admin, command)."""
    if created and not raw:
        from .models import TraineeProfile

        TraineeProfile.objects.get_or_create(user=instance)
