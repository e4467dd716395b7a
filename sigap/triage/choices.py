from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Issue types: election-specific ones first, then SNPK issue types, then the rumour lane."""

    BENTROK_PENDUKUNG = "bentrok_pendukung", _("Clash between supporters")
    POLITIK_UANG = "politik_uang", _("Money politics")
    KAMPANYE_HITAM_SARA = "kampanye_hitam_sara", _("Black campaign / SARA")
    NETRALITAS_ASN = "netralitas_asn", _("Civil-servant neutrality")
    HOAKS_UJARAN_KEBENCIAN = "hoaks_ujaran_kebencian", _("Hoax / hate speech")
    SENGKETA_HASIL = "sengketa_hasil", _("Dispute over results")
    IDENTITAS = "identitas", _("Identity (religion, ethnicity)")
    SUMBER_DAYA = "sumber_daya", _("Resources (land, natural resources)")
    BATAS_WILAYAH = "batas_wilayah", _("Boundary dispute")
    TATA_KELOLA = "tata_kelola", _("Governance (aid, services, policy)")
    MAIN_HAKIM_SENDIRI = "main_hakim_sendiri", _("Vigilantism")
    RUMOR = "rumor", _("Rumour to check")
    LAINNYA = "lainnya", _("Other")


class ConflictSource(models.TextChoices):
    """Sources of conflict, UU 7/2012 Pasal 5."""

    POLITIK_EKONOMI_SOSBUD = "politik_ekonomi_sosbud", _("Political, economic, socio-cultural")
    AGAMA_ETNIS = "agama_etnis", _("Religion, ethnicity")
    BATAS_WILAYAH = "batas_wilayah", _("Boundaries of desa, kabupaten/kota or province")
    SENGKETA_SDA = "sengketa_sda", _("Natural-resource dispute")
    DISTRIBUSI_SDA = "distribusi_sda", _("Unequal distribution of natural resources")


class Urgency(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


class IncidentStatus(models.TextChoices):
    NEW = "new", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    NOT_CONFLICT = "not_conflict", _("Not a conflict")
    HOAX = "hoax", _("Hoax")
    DUPLICATE = "duplicate", _("Duplicate")
    RESOLVED = "resolved", _("Resolved")
