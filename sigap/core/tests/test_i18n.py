"""The shipped .mo catalogue must be the compiled form of the .po file that reviewers read."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

SIGAP = Path(__file__).resolve().parents[2]
LOCALE = SIGAP / "locale" / "id" / "LC_MESSAGES"


def test_every_entry_is_translated_and_compiled():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert po.percent_translated() == 100, [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries()
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, (entry.msgctxt, entry.msgid)
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_the_catalogue_holds_every_string_of_the_code_and_templates(tmp_path):
    """`make messages` run on a copy finds nothing that the shipped catalogue lacks: a string added to a template or
    the code without its translation would show in English on an Indonesian page."""
    copy = tmp_path / "sigap"
    shutil.copytree(SIGAP, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.csv", "*.json", "*.gz"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "id", "--no-location", "--no-obsolete"],
        cwd=copy,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "sigap.settings", "PYTHONPATH": str(SIGAP.parent)},
        check=True,
        capture_output=True,
    )
    found = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale/id/LC_MESSAGES/django.po"))}
    shipped = {(e.msgctxt, e.msgid) for e in polib.pofile(str(LOCALE / "django.po"))}
    assert found - shipped == set(), "run `make messages` and translate"
