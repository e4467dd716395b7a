from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.core.grading import Credibility, Reliability

__all__ = [
    "Channel",
    "Credibility",
    "CrowdSize",
    "GRAVE_SIGNS",
    "MessageDirection",
    "PeaceSign",
    "PublicStatus",
    "Reliability",
    "WarningSign",
]


class Channel(models.TextChoices):
    WEB = "web", _("Public web form")
    TRUSTED = "trusted", _("Trusted reporter")
    API = "api", _("API")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    IMPORT = "import", _("Import (CSV/XLSX)")


class PublicStatus(models.TextChoices):
    """What a reporter sees through the receipt; derived from the incident, never staff notes."""

    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("Being checked")
    VERIFIED = "verified", _("Verified, being handled")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed without action")


class CrowdSize(models.TextChoices):
    FEW = "1-10", _("1 to 10 people")
    TENS = "11-50", _("11 to 50 people")
    HUNDRED = "51-100", _("51 to 100 people")
    HUNDREDS = "100+", _("more than 100 people")


class MessageDirection(models.TextChoices):
    FROM_REPORTER = "in", _("From the reporter")
    TO_REPORTER = "out", _("From the team")


class WarningSign(models.TextChoices):
    """The conflict indicators of a field monitor's checklist (CEWARN's situation briefs, in the terms of a Pilkada
    kelurahan): what is seen before anything happens. The election ones follow Bawaslu's IKP, the rest UU 7/2012's
    sources of conflict."""

    MOBILISATION = "mobilisation", _("A crowd gathering, or a mobilisation announced")
    PROVOCATION = "provocation", _("Provocative banners, leaflets or posts (SARA, hate speech, hoaxes)")
    INTIMIDATION = "intimidation", _("Threats or intimidation of residents, organisers or supporters")
    WEAPONS = "weapons", _("Sharp weapons or other dangerous objects seen")
    MONEY_POLITICS = "money_politics", _("Money or goods handed out for votes")
    TENSION = "tension", _("Tension between groups (taunts, reports against each other, a dispute heating up)")
    OUTSIDERS = "outsiders", _("Groups from outside the area arriving")
    LAND_RESOURCES = "land_resources", _("A land, boundary or resource dispute heating up")
    HARDSHIP = "hardship", _("Unrest over hardship (prices, lay-offs, aid handed out unfairly)")
    CROWDS_NO_PROTOCOL = "crowds_no_protocol", _("Campaign crowds without the health protocol")


# Signs of violence being prepared: a monitor who newly ticks one is heard by the secretariat at once, day or night.
GRAVE_SIGNS = (WarningSign.WEAPONS, WarningSign.INTIMIDATION, WarningSign.MOBILISATION, WarningSign.OUTSIDERS)


class PeaceSign(models.TextChoices):
    """The peace indicators beside them: what holds a kelurahan together. They are read beside the warning signs and
    never subtract from the level: a dialogue held does not make a clash less grave."""

    DIALOGUE = "dialogue", _("Dialogue or a meeting between the groups")
    LEADERS_CALM = "leaders_calm", _("Religious or community leaders calling for calm")
    JOINT_ACTIVITY = "joint_activity", _("Activities across groups (kerja bakti, pengajian, sports)")
    NIGHT_WATCH = "night_watch", _("Siskamling or ronda running")
    AGREEMENT_KEPT = "agreement_kept", _("An agreement between the groups being kept")


class FieldAnswer(models.TextChoices):
    """A monitor's answer to the team's field check: what they found on the ground."""

    TRUE = "true", _("True, as reported")
    FALSE = "false", _("Not true")
    UNSURE = "unsure", _("Cannot be confirmed yet")
