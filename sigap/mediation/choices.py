from django.db import models
from django.utils.translation import gettext_lazy as _


class ForumKind(models.TextChoices):
    """Existing forums and institutions of peaceful settlement (UU 7/2012 Ps 40-41; Permendagri 46/2019)."""

    MUSYAWARAH = "musyawarah", _("Musyawarah (kelurahan/RW deliberation)")
    URUN_REMBUG = "urun_rembug", _("Urun rembug")
    FKUB = "fkub", _("FKUB (interfaith harmony forum)")
    PRANATA_ADAT = "pranata_adat", _("Pranata adat (customary institution)")
    PRANATA_SOSIAL = "pranata_sosial", _("Pranata sosial (social institution)")
    FKDM = "fkdm", _("FKDM (early-vigilance forum)")
    OTHER = "other", _("Other")


class MediationStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    IN_SESSION = "in_session", _("In sessions")
    AGREED = "agreed", _("Agreement reached")
    FULFILLED = "fulfilled", _("Agreement fulfilled")
    FAILED = "failed", _("No agreement")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Compliance(models.TextChoices):
    PENDING = "pending", _("Not yet due or not checked")
    KEPT = "kept", _("Kept")
    PARTLY = "partly", _("Partly kept")
    BROKEN = "broken", _("Broken")


class TaskforceBasis(models.TextChoices):
    """Why a Satgas PKS was formed (UU 7/2012 Ps 42): there is no pranata for the conflict, the pranata could not
    settle it, or a Status Keadaan Konflik was declared."""

    NO_PRANATA = "no_pranata", _("No pranata adat or sosial for this conflict")
    PRANATA_FAILED = "pranata_failed", _("The pranata could not settle it")
    STATUS = "status", _("A Status Keadaan Konflik was declared")


class MemberElement(models.TextChoices):
    """Who sits on a Satgas PKS (UU 7/2012): the government side (the Wali Kota, the DPRD chair, agencies, Kapolres,
    Dandim, Kajari) and the community side, where at least 30 per cent are women."""

    GOVERNMENT = "government", _("Government, DPRD or Forkopimda")
    RELIGIOUS = "religious", _("Religious leader")
    ADAT = "adat", _("Adat leader")
    COMMUNITY = "community", _("Community leader")
    PEACE = "peace", _("Peace activist")
    PARTY = "party", _("Representative of a party to the conflict")
