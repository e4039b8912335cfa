"""Light and dark palettes for the canvas and the widgets. The canvas colours are chosen for a
projector: strong text contrast, column bands that stay visible when washed out."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QPixmapCache
from PySide6.QtWidgets import QApplication

CHANNEL_COLOURS = {
    "web": "#2f6fd0", "app": "#7a4cd6", "store": "#c0561a", "phone": "#168a68",
    "email": "#b8860b", "chat": "#0b8f94", "social": "#cf3f76", "field": "#5f7f1f",
    "partner": "#8a6552", "mail": "#9a6b00", "media": "#a33f9e", "other": "#6f7a86",
}


DARK_FILL_MIX = 0.45  # how much of the dark card colour goes into an overlay's fill


@dataclass(frozen=True)
class Theme:
    name: str
    canvas: QColor
    column_a: QColor
    column_b: QColor
    column_line: QColor
    header: QColor
    header_text: QColor
    card: QColor
    card_border: QColor
    card_text: QColor
    card_subtext: QColor
    arrow: QColor
    accent: QColor
    grid: QColor
    moment: QColor
    goal: QColor
    weak: QColor
    watch: QColor
    badge: QColor
    badge_text: QColor
    channels: dict[str, QColor] = field(default_factory=dict)

    @property
    def dark(self) -> bool:
        return self.name == "dark"

    def channel(self, name: str) -> QColor:
        return self.channels.get(name, self.channels["other"])

    def overlay_fill(self, colour: QColor) -> QColor:
        """An overlay's card fill as this theme draws it. On the dark map the light classes
        of the diverging scale (the near-white middle, "10 to 20") glared like lamps: mixed
        into the card colour, every class keeps its hue and its place in the order."""
        if not self.dark:
            return colour
        t = DARK_FILL_MIX
        return QColor.fromRgbF(*(a * (1 - t) + b * t for a, b in zip(
            colour.getRgbF()[:3], self.card.getRgbF()[:3], strict=True)), colour.alphaF())


def _c(hex_: str) -> QColor:
    return QColor(hex_)


def light_theme() -> Theme:
    return Theme(
        "light", canvas=_c("#e9edf2"), column_a=_c("#f7f9fb"), column_b=_c("#f0f3f7"),
        column_line=_c("#c9d1db"), header=_c("#2b3a4e"), header_text=_c("#ffffff"),
        card=_c("#ffffff"), card_border=_c("#98a3b3"), card_text=_c("#121821"),
        card_subtext=_c("#4a5566"), arrow=_c("#5b6778"), accent=_c("#1769e0"),
        grid=_c("#dfe4ea"), moment=_c("#d98a00"), goal=_c("#1f8a4c"), weak=_c("#c62828"),
        watch=_c("#d98a00"), badge=_c("#243244"), badge_text=_c("#ffffff"),
        channels={k: _c(v) for k, v in CHANNEL_COLOURS.items()})


def dark_theme() -> Theme:
    return Theme(
        "dark", canvas=_c("#15181d"), column_a=_c("#1e2228"), column_b=_c("#23282f"),
        column_line=_c("#363d47"), header=_c("#3a4656"), header_text=_c("#f4f6f9"),
        card=_c("#2c323b"), card_border=_c("#56616f"), card_text=_c("#f3f5f8"),
        card_subtext=_c("#b4bdc9"), arrow=_c("#8f9cad"), accent=_c("#5aa2ff"),
        grid=_c("#262b32"), moment=_c("#ffb627"), goal=_c("#4cc47f"), weak=_c("#ff6b5e"),
        watch=_c("#ffb627"), badge=_c("#e8edf3"), badge_text=_c("#121821"),
        channels={k: _c(v).lighter(135) for k, v in CHANNEL_COLOURS.items()})


def system_prefers_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def theme_for(choice: str) -> Theme:
    """``choice`` is "system", "light" or "dark"."""
    dark = system_prefers_dark() if choice == "system" else choice == "dark"
    return dark_theme() if dark else light_theme()


def widget_palette(theme: Theme) -> QPalette:
    """A Fusion palette matching the canvas, so the manual toggle also themes the widgets on
    platforms whose style ignores the colour scheme."""
    p = QPalette()
    if theme.dark:
        base, window, text = _c("#1b1f25"), _c("#23272e"), _c("#e9edf2")
        p.setColor(QPalette.ColorRole.Window, window)
        p.setColor(QPalette.ColorRole.WindowText, text)
        p.setColor(QPalette.ColorRole.Base, base)
        p.setColor(QPalette.ColorRole.AlternateBase, window)
        p.setColor(QPalette.ColorRole.Text, text)
        p.setColor(QPalette.ColorRole.Button, _c("#2d323a"))
        p.setColor(QPalette.ColorRole.ButtonText, text)
        p.setColor(QPalette.ColorRole.ToolTipBase, _c("#2d323a"))
        p.setColor(QPalette.ColorRole.ToolTipText, text)
        p.setColor(QPalette.ColorRole.PlaceholderText, _c("#8a94a3"))
        p.setColor(QPalette.ColorRole.Mid, _c("#3a414b"))
        p.setColor(QPalette.ColorRole.Dark, _c("#111418"))
        p.setColor(QPalette.ColorRole.Light, _c("#3c434d"))
        # Fusion paints scroll bar handles and groove edges from these; left at the light
        # palette's values they drew a white bar under the dark map.
        p.setColor(QPalette.ColorRole.Midlight, _c("#353b44"))
        p.setColor(QPalette.ColorRole.Shadow, _c("#0b0d10"))
        p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, _c("#6b7480"))
        p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, _c("#6b7480"))
        p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, _c("#6b7480"))
    else:
        p.setColor(QPalette.ColorRole.Window, _c("#f3f5f8"))
        p.setColor(QPalette.ColorRole.WindowText, _c("#121821"))
        p.setColor(QPalette.ColorRole.Base, _c("#ffffff"))
        p.setColor(QPalette.ColorRole.AlternateBase, _c("#f0f3f7"))
        p.setColor(QPalette.ColorRole.Text, _c("#121821"))
        p.setColor(QPalette.ColorRole.Button, _c("#e8ecf1"))
        p.setColor(QPalette.ColorRole.ButtonText, _c("#121821"))
        p.setColor(QPalette.ColorRole.ToolTipBase, _c("#ffffff"))
        p.setColor(QPalette.ColorRole.ToolTipText, _c("#121821"))
        p.setColor(QPalette.ColorRole.PlaceholderText, _c("#7a8594"))
        # Set for every state above, so a disabled button would look clickable without these.
        for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                     QPalette.ColorRole.WindowText):
            p.setColor(QPalette.ColorGroup.Disabled, role, _c("#9aa3af"))
    p.setColor(QPalette.ColorRole.Highlight, theme.accent)
    p.setColor(QPalette.ColorRole.HighlightedText, _c("#ffffff"))
    p.setColor(QPalette.ColorRole.Link, theme.accent)
    return p


def apply_palette(app: QApplication, theme: Theme) -> None:
    """The app's widgets in ``theme``. Qt's Fusion style keeps scroll bar and button
    pixmaps in QPixmapCache across palette changes: without clearing it, a switch to dark
    left white scroll bars drawn for the light palette."""
    QPixmapCache.clear()
    palette = widget_palette(theme)
    app.setPalette(palette)
    # Fusion draws a menu's check box (Edit ▸ Snap to grid) in Base, framed a shade darker
    # than Window: on the dark palette both are near-black and the box vanished. Menus hold
    # no text fields, so their Base can be a lighter grey the box shows in. A check box is
    # drawn the same way (on a table's near-black Base it vanished too).
    menus = QPalette(palette)
    if theme.dark:
        menus.setColor(QPalette.ColorRole.Base, _c("#4a525e"))
    app.setPalette(menus, "QMenu")
    app.setPalette(menus, "QCheckBox")


def readable_on(fill: QColor, default: QColor) -> QColor:
    """Black or white text, whichever reads better on an overlay's fill."""
    if fill.alpha() == 0:
        return default
    luminance = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF()
    if abs(luminance - (0.2126 * default.redF() + 0.7152 * default.greenF()
                        + 0.0722 * default.blueF())) > 0.45:
        return default
    return QColor("#101418") if luminance > 0.5 else QColor("#ffffff")
