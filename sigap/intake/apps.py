from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "sigap.intake"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sigap.intake.models import ApiPartner
        from sigap.intake.partners import forget_partners
        from sigap.intake.services import identities_expire_job, nil_report_reminders_due
        from sigap.notify.services import every_minute

        # A token disabled or rotated in this process is refused at once (other processes: partners.TRUSTED_FOR_S).
        post_save.connect(forget_partners, sender=ApiPartner, dispatch_uid="partners-save")
        post_delete.connect(forget_partners, sender=ApiPartner, dispatch_uid="partners-delete")
        every_minute(identities_expire_job)
        every_minute(nil_report_reminders_due)
