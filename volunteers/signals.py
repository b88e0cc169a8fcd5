"""An ambassador's volunteer record mirrors their ambassador profile's term: the profile is
where the ambassadors' recommit-or-resign link acts (ambassadors.services.terms)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from ambassadors.models import Ambassador
from volunteers.models import VolunteerRecord
from volunteers.services import records


@receiver(post_save, sender=Ambassador)
def mirror_ambassador_term(sender, instance: Ambassador, raw: bool = False, **kwargs) -> None:
    if raw or instance.user_id is None:
        return
    record = VolunteerRecord.objects.select_related("user").filter(user_id=instance.user_id).first()
    if record is None:
        return
    changed = False
    if record.term_ends_on != instance.term_ends_on:
        record.term_ends_on = instance.term_ends_on
        changed = True
    if instance.resigned_on is not None and record.status != VolunteerRecord.Status.RESIGNED:
        record.status = VolunteerRecord.Status.RESIGNED
        changed = True
    if changed:
        records.save_record(record, by=None, reason="ambassador profile")
