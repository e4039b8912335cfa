"""Which field a column maps to, guessed from its header (case, spaces and punctuation ignored;
English and German synonyms) and, for survey exports, from the question text. ``--map
COLUMN=FIELD`` overrides any guess."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from journeymapper.errors import InputError, shorten, some_of

FIELDS = ("touchpoint", "segment", "competitor", "metric", "value", "n", "period", "customer",
          "timestamp", "date", "outcome", "order", "amount", "nps", "csat", "ces", "likert",
          "from_touchpoint", "to_touchpoint", "count")

SYNONYMS: dict[str, tuple[str, ...]] = {
    "touchpoint": ("touchpoint", "touch point", "contact point", "kontaktpunkt", "touchpunkt",
                   "channel touchpoint", "step", "activity", "event", "event name", "page",
                   "interaction", "which contact are you rating"),
    "segment": ("segment", "customer segment", "kundensegment", "kundengruppe", "persona",
                "rfm segment", "group"),
    "competitor": ("competitor", "wettbewerber", "konkurrent", "brand", "rival"),
    "metric": ("metric", "kpi", "kennzahl", "measure", "indicator", "metrik"),
    "value": ("value", "wert", "score", "result", "amount value"),
    "n": ("n", "sample size", "sample", "responses", "count of responses", "stichprobe",
          "anzahl antworten", "base", "respondents"),
    "period": ("period", "zeitraum", "quarter", "quartal", "month", "monat", "wave", "periode"),
    "customer": ("customer", "customer id", "customerid", "client", "client id", "user",
                 "user id", "userid", "kunde", "kunden id", "kundennummer", "case id", "caseid",
                 "case", "member", "account", "account id", "cust id", "id"),
    "timestamp": ("timestamp", "time stamp", "time", "datetime", "date time", "event time",
                  "zeitstempel", "zeitpunkt", "created at", "occurred at", "ts",
                  "start date", "startdate", "recorded date"),
    "date": ("date", "datum", "order date", "purchase date", "transaction date", "kaufdatum",
             "bestelldatum", "invoice date", "invoicedate"),
    "outcome": ("outcome", "result status", "status", "ergebnis", "converted", "conversion"),
    "order": ("order", "order id", "orderid", "order number", "bestellung", "bestellnummer",
              "invoice", "invoice no", "invoiceno", "transaction id", "receipt"),
    "amount": ("amount", "revenue", "sales", "spend", "dollar value", "value usd", "total",
               "betrag", "umsatz", "price", "gross", "net amount"),
    "nps": ("nps", "likelihood to recommend", "recommend", "weiterempfehlung", "ltr"),
    "csat": ("csat", "satisfaction", "zufriedenheit", "satisfied"),
    "ces": ("ces", "customer effort", "effort", "ease", "aufwand"),
    "likert": ("likert", "agreement", "zustimmung"),
    "from_touchpoint": ("from", "from touchpoint", "source", "von", "previous", "start touchpoint"),
    "to_touchpoint": ("to", "to touchpoint", "target", "nach", "next", "end touchpoint"),
    "count": ("count", "anzahl", "frequency", "transitions", "journeys", "cases"),
}

# Phrases of survey question texts (Qualtrics' second header row, SurveyMonkey's first).
QUESTION_HINTS: tuple[tuple[str, str], ...] = (
    ("likely to recommend", "nps"), ("recommend", "nps"), ("weiterempfehlen", "nps"),
    ("satisfied", "csat"), ("satisfaction", "csat"), ("zufrieden", "csat"),
    ("easy", "ces"), ("effort", "ces"), ("einfach", "ces"),
    ("which contact", "touchpoint"), ("touchpoint", "touchpoint"), ("segment", "segment"),
)


def normalise(header: str) -> str:
    """Case, accents, spaces and punctuation ignored: "Customer-ID " -> "customerid"."""
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


_LOOKUP = {normalise(s): field for field, words in SYNONYMS.items() for s in (field, *words)}


def guess_field(header: str, question: str | None = None,
                allowed: Iterable[str] | None = None) -> str | None:
    """The field a header names, or None. ``allowed`` limits the answer (e.g. to the fields an
    import kind knows, plus metric keys for wide sheets)."""
    allowed_set = set(allowed) if allowed is not None else None
    key = normalise(header)
    for candidate in (key, re.sub(r"\d+$", "", key)):
        field = _LOOKUP.get(candidate)
        if field and (allowed_set is None or field in allowed_set):
            return field
    if allowed_set is not None:
        for name in allowed_set:  # metric keys in wide sheets: "Wait time (s)" -> wait_time_s
            if normalise(name) == key:
                return name
    if question:
        text = question.lower()
        for phrase, field in QUESTION_HINTS:
            if phrase in text and (allowed_set is None or field in allowed_set):
                return field
    return None


def parse_overrides(items: Sequence[str] | None, file: str | None = None) -> dict[str, str]:
    """``--map COLUMN=FIELD`` options as {column: field}."""
    out: dict[str, str] = {}
    for item in items or ():
        column, sep, field = item.partition("=")
        if not sep or not column.strip() or not field.strip():
            raise InputError(f"--map {shorten(item)!r}: write it as COLUMN=FIELD", file)
        out[column.strip()] = field.strip()
    return out


def require(mapping: dict[str, str], required: Iterable[str], headers: Sequence[str],
            file: str | None, row: int | None) -> None:
    """Refuse a mapping without every ``required`` field, naming the file's columns (and the
    header's ``row``) and how to name the first one missing."""
    missing = [f for f in required if f not in mapping.values()]
    if missing:
        raise InputError(f"has no {' and no '.join(missing)} column (columns: "
                         f"{some_of(headers)}); name it with --map COLUMN={missing[0]}", file, row)


def guess_mapping(headers: Sequence[str], allowed: Iterable[str],
                  overrides: dict[str, str] | None = None,
                  questions: Sequence[str | None] | None = None,
                  file: str | None = None) -> dict[str, str]:
    """{column: field} for the columns that map, each field at most once (the first column
    wins), overrides first. An override naming a column the file lacks is an error."""
    allowed = list(allowed)
    overrides = dict(overrides or {})
    mapping: dict[str, str] = {}
    by_norm = {normalise(h): h for h in headers}
    for column, field in overrides.items():
        actual = column if column in headers else by_norm.get(normalise(column))
        if actual is None:
            raise InputError(f"--map names column {shorten(column)!r}, which the file does not "
                             f"have (its columns: {some_of(headers)})", file)
        if field not in allowed:
            raise InputError(f"--map {shorten(column)}={shorten(field)}: {shorten(field)!r} is "
                             f"not a field of this import (fields: {some_of(allowed)})", file)
        mapping[actual] = field
    taken = set(mapping.values())
    for i, header in enumerate(headers):
        if header in mapping:
            continue
        question = questions[i] if questions and i < len(questions) else None
        field = guess_field(header, question, allowed)
        if field and field not in taken:
            mapping[header] = field
            taken.add(field)
    return mapping
