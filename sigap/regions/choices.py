from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Kemendagri levels, named as in the national code list."""

    PROVINSI = "provinsi", _("Province")
    KABUPATEN_KOTA = "kabupaten_kota", _("Regency/city")
    KECAMATAN = "kecamatan", _("District (kecamatan)")
    DESA_KELURAHAN = "desa_kelurahan", _("Village (desa/kelurahan)")


class AliasSource(models.TextChoices):
    KEPMENDAGRI_2022 = "kepmendagri_2022", _("Kepmendagri 2022 name")
    BPS = "bps_mfd2018", _("BPS MFD 2018 name")
    LANDMARK = "landmark", _("Landmark")
    LOCAL = "local", _("Local name")
