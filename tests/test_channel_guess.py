"""The channel of a card an import creates, guessed from its name in English or German
(DESIGN.md's word lists, whole words, the e-mail words before mail)."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymapper.cli import main
from journeymapper.model import CHANNELS
from journeymapper.model.channel_guess import WORDS, guess_channel
from journeymapper.storage import ProjectFile


@pytest.mark.parametrize(("name", "channel"), [
    # English
    ("Sales call", "phone"), ("Phone support", "phone"), ("Sales hotline", "phone"),
    ("Welcome email", "email"), ("Monthly newsletter", "email"), ("E-mail reminder", "email"),
    ("Live chat", "chat"), ("Mobile app", "app"), ("App", "app"), ("Retail store", "store"),
    ("Branch visit", "store"), ("Shop floor advice", "store"), ("TV ad", "media"),
    ("Radio spot", "media"), ("Poster campaign", "media"), ("Welcome letter", "mail"),
    ("Direct mail", "mail"), ("Post delivery", "mail"), ("Web shop", "web"),
    ("Product page", "web"), ("Comparison site", "web"), ("Customer portal", "web"),
    ("Online application", "web"),
    # German
    ("Hotline Vertrieb", "phone"), ("Anruf beim Kunden", "phone"), ("Telefon-Beratung", "phone"),
    ("E-Mail-Newsletter", "email"), ("Newsletter Anmeldung", "email"), ("E-Mail", "email"),
    ("Filiale", "store"), ("Beratung im Geschäft", "store"), ("Laden", "store"),
    ("TV-Spot", "media"), ("Fernsehen", "media"), ("Plakat Bahnhof", "media"),
    ("Radio-Werbung", "media"), ("Brief", "mail"), ("Post", "mail"),
    ("Seite Tarife", "web"), ("Kundenportal Portal", "web"), ("online kündigen", "web"),
    # whole words only: no word says more than "other"
    ("Mailbox", "other"), ("Apply", "other"), ("Chattanooga office", "other"),
    ("Postleitzahl", "other"), ("Storefront sign", "other"), ("Identity check", "other"),
    ("Mailbox mail", "mail"),
])
def test_a_channel_from_the_words_of_a_name(name: str, channel: str) -> None:
    assert guess_channel(name) == channel


def test_every_guessed_channel_is_a_channel() -> None:
    assert "media" in CHANNELS
    assert {c for c, _ in WORDS} <= set(CHANNELS)


def test_cards_an_import_creates_get_their_guessed_channel(tmp_path: Path) -> None:
    project = tmp_path / "p.jmap"
    assert main(["new", str(project)]) == 0
    data = tmp_path / "kpi.csv"
    data.write_text("touchpoint,csat\nE-Mail-Newsletter,4\nTV-Spot,3\nMailbox,2\n"
                    "Hotline Vertrieb,5\n", encoding="utf-8")
    assert main(["import", str(project), str(data), "--kind", "metrics",
                 "--create-missing", "Kontakt"]) == 0
    with ProjectFile.open(project, read_only=True) as pf:
        got = {t.name: t.channel for t in pf.touchpoints()}
    assert got == {"E-Mail-Newsletter": "email", "TV-Spot": "media", "Mailbox": "other",
                   "Hotline Vertrieb": "phone"}
