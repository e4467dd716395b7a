from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "sigap.triage"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sigap.intake.field_checks import on_field_check_answered
        from sigap.intake.resolution import on_resolution_answered
        from sigap.intake.services import on_report_received
        from sigap.notify.services import digest_section, every_minute, overtaken_by
        from sigap.regions.models import Region, RegionAlias
        from sigap.triage.field_checks import field_check_answered, field_check_message_overtaken, field_checks_late
        from sigap.triage.placement import forget_gazetteer
        from sigap.triage.resolution import resolution_answered
        from sigap.triage.services import (
            follow_ups_due,
            message_overtaken,
            report_triage,
            secretariat_queue_digest,
            triage_prepare,
            verifications_late,
        )

        on_report_received(prepare=triage_prepare, apply=report_triage)
        on_field_check_answered(field_check_answered)
        on_resolution_answered(resolution_answered)
        every_minute(field_checks_late)
        overtaken_by(field_check_message_overtaken)
        every_minute(verifications_late)
        every_minute(follow_ups_due)
        overtaken_by(message_overtaken)
        digest_section(secretariat_queue_digest)
        for model in (Region, RegionAlias):  # a landmark an admin adds places the next report
            post_save.connect(forget_gazetteer, sender=model, dispatch_uid=f"gazetteer-save-{model.__name__}")
            post_delete.connect(forget_gazetteer, sender=model, dispatch_uid=f"gazetteer-delete-{model.__name__}")
