"""The channel of a card an import creates, guessed from its name (DESIGN.md, "New segments
keep the stage order"): English and German words, matched as whole words ("Mailbox" is no
mail), the e-mail words before mail, so "E-Mail-Newsletter" is email and "Brief" mail. A
name no word speaks for is "other"."""

from __future__ import annotations

import re

# Tried in this order; a phrase is a run of whole words ("e-mail" is the words e, mail).
WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("email", ("e-mail", "email", "emails", "newsletter", "e-mails")),
    ("phone", ("call", "calls", "phone", "hotline", "callback", "telephone",
               "anruf", "telefon", "rückruf")),
    ("chat", ("chat", "live chat", "chatbot", "messenger")),
    ("app", ("app", "apps", "mobile app")),
    ("store", ("store", "branch", "shop floor", "filiale", "geschäft", "laden")),
    ("media", ("tv", "radio", "poster", "tv-spot", "fernsehen", "plakat")),
    ("mail", ("letter", "mail", "post", "brief", "postal")),
    ("web", ("web", "website", "page", "site", "portal", "online", "seite", "webseite")),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[^\W_]+", text.casefold()))


_PHRASES = [(channel, [_words(w) for w in words]) for channel, words in WORDS]


def guess_channel(name: str) -> str:
    """The channel ``name``'s words say, or "other"."""
    words = _words(name)
    for channel, phrases in _PHRASES:
        for phrase in phrases:
            n = len(phrase)
            if any(words[i:i + n] == phrase for i in range(len(words) - n + 1)):
                return channel
    return "other"
