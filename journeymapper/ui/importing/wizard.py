"""The import wizard: file and kind, column mapping with a preview of the first rows, unknown
touchpoints placed in stages, what will change, then the import itself on a background thread
with a progress bar and Cancel. The finished import is one step on the window's undo stack.

Reading and preparing also run in the background (an event log takes a second or more to
aggregate), so the wizard never freezes the window; pages wait for the jobs before Next.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget, QWizard

from journeymapper.errors import user_message
from journeymapper.importers.apply import ImportCancelled
from journeymapper.importers.options import ImportOptions
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.background import BackgroundOp
from journeymapper.ui.importing import jobs
from journeymapper.ui.importing.mapping_page import MappingPage
from journeymapper.ui.importing.names_page import TouchpointsPage
from journeymapper.ui.importing.pages import FilePage, PreviewPage, RunPage
from journeymapper.ui.screen_fit import FitsScreen

if TYPE_CHECKING:
    from journeymapper.ui.editing import MapEditor

PAGE_FILE, PAGE_MAPPING, PAGE_TOUCHPOINTS, PAGE_PREVIEW, PAGE_RUN = range(5)


class ImportWizard(FitsScreen, QWizard):
    """``path``/``kind``/``options`` pre-fill it (the Imports panel's re-run)."""

    prepared_changed = Signal()
    sniffed_changed = Signal()
    finished_import = Signal(object)  # jobs.Ran, or None when cancelled or failed

    def __init__(self, project: ProjectFile, editor: MapEditor | None,
                 parent: QWidget | None = None, path: str | Path | None = None,
                 kind: str | None = None, options: ImportOptions | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle("Import data")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.project = project
        self.editor = editor
        self.options = options or ImportOptions()
        self.overrides: dict[str, str] = dict(self.options.overrides)
        self.sniffed: jobs.Sniffed | None = None
        self.sniff_error: str = ""
        self.prepared: jobs.Prepared | None = None
        self.preparing = False
        self.ran: jobs.Ran | None = None
        self._jobs: list[BackgroundOp] = []
        self.run_job: BackgroundOp | None = None
        self._prepare_token = 0
        self._sniff_token = 0

        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.touchpoints_page = TouchpointsPage(self)
        self.preview_page = PreviewPage(self)
        self.run_page = RunPage(self)
        for pid, page in ((PAGE_FILE, self.file_page), (PAGE_MAPPING, self.mapping_page),
                          (PAGE_TOUCHPOINTS, self.touchpoints_page),
                          (PAGE_PREVIEW, self.preview_page), (PAGE_RUN, self.run_page)):
            self.setPage(pid, page)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.resize(980, 640)
        if path is not None:
            self.file_page.set_path(str(path), kind)

    # -- the choices so far ----------------------------------------------------------------

    @property
    def path(self) -> Path:
        return Path(self.file_page.path_edit.text().strip()).expanduser()

    @property
    def kind(self) -> str:
        return str(self.file_page.kind_box.currentData())

    def current_options(self) -> ImportOptions:
        o = self.mapping_page.read_options(self.options)
        o = dataclasses.replace(o, kind=self.kind, sheet=self.file_page.sheet(),
                                overrides=dict(self.overrides))
        names = self.touchpoints_page.applied  # the file read again with the page's choices
        return names.applied_to(o, self.touchpoints_page.all_stage()) if names else o

    # -- background work ---------------------------------------------------------------------

    def _start(self, work: Any, ok: Any, failed: Any, project: ProjectFile | None = None,
               editor: MapEditor | None = None, writes: bool = False,
               start_later: bool = False) -> BackgroundOp:
        """``work(project connection or None, progress)`` through the app's one runner."""
        job = BackgroundOp(self, project, work, editor, writes).success(ok).failure(failed)
        job.finished.connect(lambda j=job: self._forget(j))
        self._jobs.append(job)
        return job.run_in_background(start_later=start_later)

    def _forget(self, job: BackgroundOp) -> None:
        if job in self._jobs:
            self._jobs.remove(job)

    def sniff(self) -> None:
        """Look at the chosen file (columns, sheets, likely kind) in the background."""
        self._sniff_token += 1
        token, path = self._sniff_token, self.path
        self.sniffed, self.sniff_error = None, ""
        if not path.exists() or not str(path).strip():
            self.sniffed_changed.emit()
            return
        sheet = self.file_page.sheet()

        def done(value: Any) -> None:
            if token == self._sniff_token:
                self.sniffed = value
                self.sniffed_changed.emit()

        def failed(error: Any) -> None:
            if token == self._sniff_token:
                self.sniff_error = str(error)
                self.sniffed = jobs.Sniffed()
                self.sniffed_changed.emit()

        self._start(lambda _pf, _p: jobs.sniff(path, sheet), done, failed)
        self.sniffed_changed.emit()

    def prepare(self) -> None:
        """Ask the importer what this file with these choices would do (never writes)."""
        self._prepare_token += 1
        token = self._prepare_token
        self.preparing = True
        path, kind = self.path, self.kind
        options = self.current_options()
        stage = self.touchpoints_page.all_stage() if self.prepared and \
            self.prepared.unknown else None

        def done(value: Any) -> None:
            if token == self._prepare_token:
                self.prepared, self.preparing = value, False
                self.prepared_changed.emit()

        def failed(error: Any) -> None:
            if token == self._prepare_token:
                from journeymapper.importers.apply import Preview

                preview = Preview(path, path.name, kind, options)
                preview.errors = [error]
                self.prepared, self.preparing = jobs.Prepared(preview), False
                self.prepared_changed.emit()

        self._start(lambda pf, _p: jobs.prepare(pf, path, kind, options, stage),
                    done, failed, self.project)
        self.prepared_changed.emit()

    def run_import(self) -> BackgroundOp:
        """Start the import; the job begins on the next turn of the event loop, so a Cancel
        pressed at once is seen before anything is written."""
        assert self.prepared is not None
        prepared = self.prepared
        page = self.touchpoints_page
        placements = page.placements() if page.visited else []
        # Names mapped to a card become its aliases, accepted rules the project's rules: the
        # import stores them with itself, one step.
        prepared.preview.options = page.with_choices(prepared.preview.options)
        user_options = page.with_choices(self.current_options())
        # The runner pushes the import's operation onto the window's undo stack: one step.
        job = self._start(lambda pf, progress: jobs.run(pf, prepared, placements, progress,
                                                        user_options),
                          self._imported, self._import_failed, self.project, self.editor,
                          writes=True, start_later=True)
        job.progressed.connect(self.run_page.show_progress)
        self.run_job = job
        return job

    def _imported(self, ran: jobs.Ran) -> None:
        self.ran = ran
        self.run_page.show_done(ran.summary)
        self.finished_import.emit(ran)

    def _import_failed(self, error: Exception) -> None:
        if isinstance(error, ImportCancelled):
            self.run_page.show_done("Cancelled: nothing was imported, the project is "
                                    "unchanged.", failed=True)
        else:
            self.run_page.show_done("The import failed and nothing was changed:\n"
                                    + user_message(error, self.project.path.name), failed=True)
        self.finished_import.emit(None)

    def cancel_import(self) -> None:
        job = self.run_job
        if job is not None and job.running:
            job.cancel()
            self.run_page.show_cancelling()

    # -- page order and closing ------------------------------------------------------------

    def nextId(self) -> int:
        current = self.currentId()
        if current == PAGE_MAPPING:
            return PAGE_TOUCHPOINTS if self.prepared and self.prepared.unknown else PAGE_PREVIEW
        return super().nextId()

    def reject(self) -> None:
        job = self.run_job
        if job is not None and job in self._jobs and job.running:
            self.cancel_import()
            job.wait()  # cancelled at its next progress report: a moment, then rolled back
        self.shutdown()
        super().reject()

    def done(self, result: int) -> None:  # noqa: D401 - Qt's name
        self.shutdown()
        super().done(result)

    def shutdown(self) -> None:
        for job in list(self._jobs):
            if job is not self.run_job:
                job.cancel()
            job.wait()  # an import is never abandoned half-way: it ends or rolls back


def open_import_wizard(window: Any, **prefill: Any) -> ImportWizard | None:
    """File > Import data…: a window-modal wizard on the window's project and undo stack."""
    project = window.project
    if project.read_only:
        window.statusBar().showMessage(f"{project.path.name} is open read-only: nothing can "
                                       "be imported into it", 5000)
        return None
    wizard = ImportWizard(project, window.editor, window, **prefill)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.setWindowModality(Qt.WindowModality.WindowModal)
    wizard.show()
    return wizard
