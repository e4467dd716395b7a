from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.core.grading import Reliability
from sigap.core.roles import Role


class User(AbstractUser):
    """A person with an account: staff of an organisation, or a trusted reporter in a kelurahan."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TRUSTED_REPORTER)
    organisation = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    # The user's own area: a trusted reporter's kelurahan, a mediator's kecamatan. Organisations add theirs.
    area = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("position"), max_length=120, blank=True, help_text="e.g. Bhabinkamtibmas Bugul Lor")
    # How far the team trusts this person's reports; copied onto each report a trusted reporter sends.
    source_reliability = models.CharField(
        _("source reliability"), max_length=1, choices=Reliability.choices, default=Reliability.B
    )
    # GlobaLeaks' identity custodian: while anyone holds this, seeing a reporter's name and contact takes a
    # custodian's consent to a stated reason (four eyes), not an analyst's reason alone.
    identity_custodian = models.BooleanField(
        _("identity custodian"),
        default=False,
        help_text=_(
            "Decides analysts' requests to see a reporter's name and contact (e.g. the head of Bakesbangpol). While "
            "anyone holds this, no identity is shown without a custodian's consent."
        ),
    )

    def area_codes(self) -> list[str]:
        """Region codes this user is responsible for: the own area plus the organisation's areas."""
        codes = [self.area.code] if self.area_id and self.area else []
        if self.organisation_id:
            codes += list(self.organisation.areas.values_list("code", flat=True))  # type: ignore[union-attr]
        return sorted(set(codes))

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


class StaffToken(models.Model):
    """A bearer token with which a staff member's tools read the staff API (alerts). Only its hash is kept."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=120)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.user} / {self.name}"
