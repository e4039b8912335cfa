"""The persona dialog: a segment's persona (name, photo, description, goals, needs, quote)
filled in as one undoable edit. A photo is a PNG or JPEG file of at most 2 MB; anything else
is refused with one line in the dialog and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeymapper.commands import lanes as lane_cmds
from journeymapper.errors import JourneyMapperError
from journeymapper.model import Persona
from journeymapper.storage.limits import MAX_PHOTO_BYTES
from journeymapper.storage.opening import refuse_stream
from journeymapper.ui.screen_fit import FitsScreen

PREVIEW = 96
TEXT_FIELDS = ("description", "goals", "needs")


def read_photo(path: str | Path) -> bytes:
    """The bytes of a persona photo file, or JourneyMapperError saying in one line why not:
    not a file, over 2 MB (checked before reading), not a PNG or JPEG, or not decodable."""
    path = Path(path)
    refuse_stream(path)
    try:
        size = path.stat().st_size
        if size > MAX_PHOTO_BYTES:
            raise JourneyMapperError(f"{path.name} is {size / 1024 / 1024:.1f} MB: a persona's "
                                     f"photo is at most {MAX_PHOTO_BYTES // 1024 // 1024} MB")
        with path.open("rb") as f:
            data = f.read(MAX_PHOTO_BYTES + 1)
    except OSError as e:
        raise JourneyMapperError(f"{path.name}: {e.strerror or e}") from e
    if len(data) > MAX_PHOTO_BYTES:  # grew while being read
        raise JourneyMapperError(f"{path.name}: a persona's photo is at most 2 MB")
    try:
        lane_cmds.photo_type(data)
    except JourneyMapperError as e:
        raise JourneyMapperError(f"{path.name}: {e}") from e
    if QImage.fromData(data).isNull():
        raise JourneyMapperError(f"{path.name} could not be read as an image")
    return data


class PersonaDialog(FitsScreen, QDialog):
    """``push(command, *args, **fields)`` runs the edit (the window's MapEditor.run)."""

    def __init__(self, persona: Persona | None, segment_id: str, segment_name: str,
                 run: Callable[..., Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Persona — {segment_name}")
        self.segment_id = segment_id
        self.run = run
        self.original = persona or Persona(segment_id)
        self.photo: bytes | None = self.original.photo
        self.name = QLineEdit(self.original.name)
        self.name.setPlaceholderText("Who is this segment? e.g. “Dana, ops lead, 41”")
        self.texts = {}
        for field in TEXT_FIELDS:
            edit = QPlainTextEdit(getattr(self.original, field))
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(64)  # and the dialog's spare height
            self.texts[field] = edit
        self.quote = QLineEdit(self.original.quote)
        self.quote.setPlaceholderText("Something this person said in an interview")
        self.preview = QLabel()
        self.preview.setFixedSize(PREVIEW, PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QLabel.Shape.StyledPanel)
        choose = QPushButton("Choose photo…")
        choose.clicked.connect(self.choose_photo)
        self.remove = QPushButton("Remove photo")
        self.remove.clicked.connect(self.remove_photo)
        self.error = QLabel()
        self.error.setObjectName("personaError")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        photo_buttons = QVBoxLayout()
        photo_buttons.addWidget(choose)
        photo_buttons.addWidget(self.remove)
        photo_row = QHBoxLayout()
        # The photo and its buttons at the row's top, the spare height to the texts (it went to
        # this row, and the photo sank to its middle below the buttons).
        photo_row.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        photo_row.addLayout(photo_buttons)
        photo_row.setAlignment(photo_buttons, Qt.AlignmentFlag.AlignTop)
        photo_row.addStretch(1)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Photo", photo_row)
        form.addRow("Description", self.texts["description"])
        form.addRow("Goals", self.texts["goals"])
        form.addRow("Needs", self.texts["needs"])
        form.addRow("Quote", self.quote)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, 520)
        self._show_photo()

    def _show_photo(self) -> None:
        image = QImage.fromData(self.photo) if self.photo else QImage()
        if image.isNull():
            self.preview.setPixmap(QPixmap())
            self.preview.setText("No photo")
        else:
            self.preview.setPixmap(QPixmap.fromImage(image).scaled(
                PREVIEW, PREVIEW, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        self.remove.setEnabled(self.photo is not None)

    def choose_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a photo", "",
                                              "Images (*.png *.jpg *.jpeg)")
        if path:
            self.set_photo_file(path)

    def set_photo_file(self, path: str | Path) -> bool:
        """Take the photo from ``path``; False (with the reason shown) when it is refused."""
        try:
            self.photo = read_photo(path)
        except JourneyMapperError as e:
            self.error.setText(str(e))
            return False
        self.error.clear()
        self._show_photo()
        return True

    def remove_photo(self) -> None:
        self.photo = None
        self._show_photo()

    def fields(self) -> dict[str, Any]:
        """What was changed, for one edit."""
        now = {"name": self.name.text().strip(), "quote": self.quote.text().strip(),
               **{f: e.toPlainText().strip() for f, e in self.texts.items()}}
        changed = {k: v for k, v in now.items() if v != getattr(self.original, k)}
        if self.photo != self.original.photo:
            changed["photo"] = self.photo
        return changed

    def accept(self) -> None:
        changed = self.fields()
        if changed and self.run(lane_cmds.set_persona, self.segment_id, **changed) is None:
            return  # refused (the reason is in the status bar); the dialog stays open
        super().accept()
