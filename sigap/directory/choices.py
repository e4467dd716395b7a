from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    PEMDA = "pemda", _("City government (Pemda)")
    OPD = "opd", _("City agency (OPD)")
    KESBANGPOL = "kesbangpol", _("Bakesbangpol")
    POLRI = "polri", _("Police (Polri)")
    TNI = "tni", _("Military (TNI)")
    KEJAKSAAN = "kejaksaan", _("Prosecutor (Kejaksaan)")
    DPRD = "dprd", _("Regional parliament (DPRD)")
    KECAMATAN = "kecamatan", _("Kecamatan office")
    KELURAHAN = "kelurahan", _("Kelurahan office")
    PENYELENGGARA_PEMILU = "penyelenggara_pemilu", _("Election body (KPU/Bawaslu)")
    FKUB = "fkub", _("Interfaith forum (FKUB)")
    FKDM = "fkdm", _("Early-vigilance forum (FKDM)")
    ORMAS = "ormas", _("Community organisation")
    OTHER = "other", _("Other")


FORKOPIMDA_KINDS = {
    OrganisationKind.PEMDA,
    OrganisationKind.POLRI,
    OrganisationKind.TNI,
    OrganisationKind.KEJAKSAAN,
    OrganisationKind.DPRD,
}


class PersonRole(models.TextChoices):
    TOKOH_AGAMA = "tokoh_agama", _("Religious leader")
    TOKOH_MASYARAKAT = "tokoh_masyarakat", _("Community leader")
    TOKOH_ADAT = "tokoh_adat", _("Customary leader")
    KETUA_RT_RW = "ketua_rt_rw", _("RT/RW head")
    BABINSA = "babinsa", _("Babinsa (TNI village officer)")
    BHABINKAMTIBMAS = "bhabinkamtibmas", _("Bhabinkamtibmas (police village officer)")
    LURAH = "lurah", _("Lurah")
    CAMAT = "camat", _("Camat")
    OFFICIAL = "official", _("Official")
    OTHER = "other", _("Other")


class SubTeam(models.TextChoices):
    """The Tim Terpadu's parts (Mendagri guidance 2021) plus its steering and secretariat."""

    PENGARAH = "pengarah", _("Steering (pengarah)")
    SEKRETARIAT = "sekretariat", _("Secretariat")
    PENCEGAHAN = "pencegahan", _("Prevention (pencegahan)")
    PENGHENTIAN = "penghentian", _("Stopping (penghentian)")
    PEMULIHAN = "pemulihan", _("Recovery (pemulihan)")


class TeamPosition(models.TextChoices):
    KETUA = "ketua", _("Chair")
    WAKIL_KETUA = "wakil_ketua", _("Vice chair")
    SEKRETARIS = "sekretaris", _("Secretary")
    KOORDINATOR = "koordinator", _("Coordinator")
    ANGGOTA = "anggota", _("Member")
