from pathlib import Path

import polib
import pytest
from django.urls import reverse

CATALOG = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_it_translates_every_string():
    catalog = polib.pofile(str(CATALOG / "django.po"))
    assert [entry.msgid for entry in catalog.untranslated_entries()] == []
    assert [entry.msgid for entry in catalog.fuzzy_entries()] == []


def test_it_ships_a_compiled_catalog_matching_the_source():
    source = {
        entry.msgid: entry.msgstr
        for entry in polib.pofile(str(CATALOG / "django.po"))
        if not entry.obsolete
    }
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(CATALOG / "django.mo"))}
    singular = {msgid: msgstr for msgid, msgstr in source.items() if msgstr}
    assert {msgid: compiled.get(msgid) for msgid in singular} == singular


@pytest.mark.django_db
def test_it_speaks_chinese(client, secretariat):
    login_page = client.get(reverse("login")).content.decode()
    assert "登录" in login_page
    assert '<html lang="zh-Hans">' in login_page
    client.force_login(secretariat)
    assert "成员单位" in client.get(reverse("jituan:member-list")).content.decode()
