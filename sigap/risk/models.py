"""Risk of each kelurahan: what analysts know of it (indicators), the election calendar, past counts, and the
daily assessment (AreaRisk) that the engine writes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.core.models import TimeStampedModel
from sigap.risk.choices import PhaseKind, RiskLevel, Vulnerability


class ElectionPhase(TimeStampedModel):
    """One phase of an election calendar in a kabupaten/kota; `high_risk` phases are the engine's known window."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="election_phases")
    election = models.CharField(_("election"), max_length=120)
    kind = models.CharField(_("phase"), max_length=16, choices=PhaseKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    high_risk = models.BooleanField(
        _("known high-risk period"), default=False, help_text=_("The engine expects more incidents in these days.")
    )

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("election phase")

    def __str__(self) -> str:
        return f"{self.election}: {self.get_kind_display()} {self.starts_on}\u2013{self.ends_on}"


class AreaIndicator(TimeStampedModel):
    """Standing vulnerability of a kelurahan, kept by analysts (IKP-style, TPS categories, sensitive sites)."""

    region = models.OneToOneField("regions.Region", on_delete=models.PROTECT, related_name="indicator")
    conflict_history = models.PositiveSmallIntegerField(
        _("history of conflict"), choices=Vulnerability.choices, default=Vulnerability.NONE
    )
    election_vulnerability = models.PositiveSmallIntegerField(
        _("election vulnerability (IKP)"), choices=Vulnerability.choices, default=Vulnerability.NONE
    )
    tps_aman = models.PositiveSmallIntegerField(_("TPS aman"), default=0)
    tps_rawan = models.PositiveSmallIntegerField(_("TPS rawan"), default=0)
    tps_sangat_rawan = models.PositiveSmallIntegerField(_("TPS sangat rawan"), default=0)
    tps_khusus = models.PositiveSmallIntegerField(_("TPS khusus"), default=0)
    sensitive_sites = models.PositiveSmallIntegerField(_("sensitive sites"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("area indicator")

    def __str__(self) -> str:
        return f"{self.region}"


class HistoricalCount(models.Model):
    """Incidents per kelurahan and day from before Sigap (SNPK, police logs): the engine's first baseline."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField()
    weighted = models.FloatField(help_text="Severity-weighted: minor 1, injured 3, killed 10")
    source = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "day", "source"], name="historical_count_unique")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.region} {self.day}: {self.count} ({self.source})"


class AreaRisk(models.Model):
    """The assessment of one kelurahan on one day: score, level and the drivers behind them."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="risks")
    day = models.DateField(db_index=True)
    score = models.FloatField()
    level = models.PositiveSmallIntegerField(choices=RiskLevel.choices)
    drivers = models.JSONField(default=list)
    p_value = models.FloatField(null=True)
    expected = models.FloatField(default=0.0, help_text="Incidents the engine expected in the recent window")
    recent = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day", "region__code"]
        constraints = [models.UniqueConstraint(fields=["region", "day"], name="area_risk_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.day}: {self.get_level_display()} ({self.score})"


class AreaFlag(models.Model):
    """A time-limited mark on a kelurahan raised by another room, counted in its standing vulnerability while it
    lasts: an agreement broken after mediation (relapse) makes new trouble there more likely."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="risk_flags")
    kind = models.CharField(max_length=16, default="relapse")
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=300)
    source = models.CharField(max_length=64, help_text="What raised it, e.g. mediation:12")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "kind", "source"], name="area_flag_once")]

    def __str__(self) -> str:
        return f"{self.region} {self.kind} {self.starts_on}\u2013{self.ends_on}"


class LevelFloor(models.Model):
    """An analyst's judgement that a kelurahan stands at least at `level` until `ends_on`, whatever the engine's
    score says: what the team knows and the incidents do not show yet (Kominda's information, a mass mobilisation
    announced for the recount). The engine's score stays as it is; the level shown is the higher of the two.

    Withdrawn early, it ends the day before: the days it was in force keep their level in any recompute."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="level_floors")
    level = models.PositiveSmallIntegerField(_("level"), choices=RiskLevel.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.TextField(_("reason"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-set_at"]
        verbose_name = _("analyst's level")
        verbose_name_plural = _("analysts' levels")

    def __str__(self) -> str:
        return f"{self.region} {self.get_level_display()} {self.starts_on}\u2013{self.ends_on}"
