"""What the user chose for one import: the command line's options, or the GUI wizard's steps."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportOptions:
    """``overrides`` is ``--map COLUMN=FIELD`` as {column: field}; ``answer_scale`` is (lo, hi);
    ``customer_segments`` ({customer id: segment}) is the hook for ``--segments-from``: when
    given, an events import puts each customer's events in that segment."""

    kind: str = "metrics"  # a name in importers.kinds
    segment: str | None = None
    competitor: str | None = None
    create_missing: str | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    date_format: str | None = None
    answer_scale: tuple[int, int] | None = None
    goals: list[str] = field(default_factory=list)
    skip_bad_rows: bool = False
    customer_segments: dict[str, str] | None = None
    as_of: str | None = None  # transactions: the date RFM recency is counted to
    # --alias (name in file, touchpoint) and --rules (pattern, touchpoint) with the rules
    # file's name and rows for its errors: stored in the project by the import giving them.
    aliases: list[tuple[str, str]] = field(default_factory=list)
    rules: list[tuple[str, str]] = field(default_factory=list)
    rules_file: str | None = None
    rule_rows: list[int] = field(default_factory=list)
    # Names in the file whose rows are not imported (the wizard's "skip these rows", --skip):
    # counted as rejected, with the reason, and no error.
    skip_names: list[str] = field(default_factory=list)


def parse_scale(text: str) -> tuple[int, int]:
    """``"1-5"`` (or ``1–5``, ``0..10``) as (1, 5)."""
    import re

    from journeymapper.errors import InputError

    m = re.fullmatch(r"\s*(\d+)\s*(?:-|–|\.\.|to)\s*(\d+)\s*", text or "")
    if not m or int(m.group(1)) >= int(m.group(2)):
        raise InputError(f"--answer-scale {text!r}: write it as LO-HI, e.g. 1-5")
    return int(m.group(1)), int(m.group(2))
