"""Wires one SessionView to the vault, the pipeline and the lanes.

Only wiring: every step is a `workflow` function run on a lane; results and
streamed pieces come back as signals and are put on screen here. Results of
a task for a session that is no longer on screen only refresh the list.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from soapdesk.core import templates
from soapdesk.core.errors import Cancelled
from soapdesk.gui import workflow
from soapdesk.gui.clipboard import ClipboardGuard
from soapdesk.gui.confirm import AskExportPath, Confirm, Warn
from soapdesk.gui.player import Player
from soapdesk.gui.recorder import Recorder, input_devices
from soapdesk.gui.session_view import DRAFT, TRANSCRIPT

log = logging.getLogger(__name__)


class SessionController(QObject):
    sessions_changed = Signal()
    transcript_ready = Signal(str)  # session id
    draft_ready = Signal(str)
    task_failed = Signal(str, object)  # session id, exception

    def __init__(self, view, ctx, lanes, parent: QObject | None = None):
        super().__init__(parent)
        self.view = view
        self.ctx = ctx
        self.lanes = lanes
        self.vault = None
        self.pipeline = None
        self.sid: str | None = None
        self.note = None
        self.auto_draft = True
        self.clipboard = ClipboardGuard(ctx.settings.clipboard_clear_seconds, self)
        self.player = Player(ctx.sd())
        self.recorder = Recorder(ctx.sd(), parent=self)
        self.tasks = {}  # "asr"/"llm" -> running Task
        self._parts = []
        self.checked = None  # the latest reviewed Note (checks of the text on screen)
        self._confirmed: dict | None = None  # risk statuses stored for this note
        self._check_gen = 0
        self._check_running = False
        self._check_pending = None
        self.risk_warnings: list[str] = []
        self._wire()

    def _wire(self) -> None:
        v = self.view
        v.importer.audio_chosen.connect(self.import_audio)
        v.importer.text_submitted.connect(self.use_text)
        v.transcript.edited.connect(self.save_transcript)
        v.transcript.play_requested.connect(self.play_from)
        d = v.draft
        d.generate_clicked.connect(self.generate)
        d.cancel_clicked.connect(self.cancel_drafting)
        d.regenerate_clicked.connect(self.regenerate)
        d.copy_note_clicked.connect(self.copy_note)
        d.copy_section_clicked.connect(self.copy_section)
        d.edited.connect(self.save_edit)
        d.finalize.finalize_clicked.connect(self.finalize)
        d.finalize.addendum_submitted.connect(self.add_addendum)
        d.finalize.export_clicked.connect(self.export_note)
        d.check_requested.connect(self.run_checks)
        d.sentence_clicked.connect(self.show_sentence_evidence)
        d.checks.show_in_transcript.connect(self.show_in_transcript)
        d.checks.play_requested.connect(self.play_from)
        d.risk.changed.connect(self._risk_changed)
        d.billing.suggest_clicked.connect(self.suggest_billing)
        r = v.record
        r.record_clicked.connect(self.start_recording)
        r.pause_clicked.connect(lambda p: self.recorder.pause() if p else self.recorder.resume())
        r.stop_clicked.connect(self.stop_recording)
        self.recorder.ticked.connect(r.show_tick)
        self.recorder.chunk_ready.connect(self._store_chunk)
        self.recorder.piece_ready.connect(self._transcribe_piece)
        self.recorder.stopped.connect(self._recording_stopped)

    # -- vault lifecycle --------------------------------------------------------
    def attach(self, vault) -> None:
        self.vault = vault
        self.ctx.close_engines()
        self.pipeline = self.ctx.make_pipeline(vault.settings.vocabulary())
        self.ctx.start_engines()  # the speech model loads in its own process while the clinician starts
        self.view.record.set_devices(input_devices(self.ctx.sd()))

    def detach(self) -> None:
        """Before locking: save edits, stop and finish work, forget everything on screen."""
        self.flush()
        if self.recorder.recording:
            self.recorder.stop()
        self.lanes.cancel_all()
        self.lanes.wait()
        self.ctx.close_engines()
        self.player.clear()
        self.view.clear()
        self.sid = None
        self.note = None
        self.checked = None
        self._confirmed = None
        self._check_pending = None
        self.vault = None

    def flush(self) -> None:
        self.view.draft.flush()
        self.view.transcript.flush()

    @property
    def busy(self) -> bool:
        return self.lanes.busy or self.recorder.recording

    # -- sessions ---------------------------------------------------------------
    def new_session(self, choice) -> str:
        sid = self.vault.start_session(client_label=choice.client_label, template=choice.template)
        if choice.length_min:
            self.vault.sessions.update(sid, duration_s=choice.length_min * 60.0)
        self.sessions_changed.emit()
        self.open_session(sid)
        return sid

    def open_session(self, sid: str) -> None:
        if sid == self.sid or self.vault is None:
            return
        self.flush()
        self.player.clear()
        self.sid = sid
        self.reload()

    def reload(self) -> None:
        v = self.view
        row = self.vault.sessions.get(self.sid)
        v.show_row(row)
        if row.status != "failed":
            v.error_bar.clear()
        v.transcript.set_transcript(self.vault.transcripts.load(self.sid))
        note_id = self.vault.notes.id_for_session(self.sid)
        self.note = self.vault.notes.load(note_id) if note_id else None
        self.checked = None
        v.draft.checks.clear()
        v.draft.risk.clear()
        if self.note is not None:
            v.draft.set_sections(self.note.sections)
            fin = self.vault.notes.finalization(note_id)
            self._confirmed = workflow.load_risk_confirmation(self.vault, note_id)
            v.draft.set_finalized(fin, self.vault.notes.addenda(note_id))
            v.transcript.set_editable(fin is None)
            v.draft.billing.set_minutes(workflow.session_minutes(self.vault, self.sid, self.note.transcript))
            self.run_checks(self.note.sections)
        else:
            v.draft.show_empty()
            v.transcript.set_editable(True)
        running = self.tasks.get("llm")
        v.draft.set_busy(running is not None and running.sid == self.sid, "Drafting…")

    def _refresh_if_current(self, sid: str) -> None:
        self.sessions_changed.emit()
        if sid == self.sid and self.vault is not None:
            self.view.show_row(self.vault.sessions.get(sid))

    def _ensure_session(self) -> str:
        if self.sid is None:
            from soapdesk.gui.new_session_dialog import NewSession

            self.new_session(NewSession(None, self.ctx.settings.template, None))
        return self.sid

    # -- transcript -------------------------------------------------------------
    def import_audio(self, path) -> None:
        sid = self._ensure_session()
        self.view.error_bar.clear()
        self.view.transcript.clear()
        self.view.transcript.set_progress(0.0)
        self.view.tabs.setCurrentIndex(TRANSCRIPT)
        vault, pipeline = self.vault, self.pipeline
        self._run("asr", sid, lambda cancel, report: workflow.transcribe_session(
            vault, pipeline, sid, report=report, cancel=cancel, path=path), self._asr_progress,
            self._transcribed)
        self._refresh_if_current(sid)

    def use_text(self, text: str) -> None:
        sid = self._ensure_session()
        try:
            transcript = workflow.use_text(self.vault, sid, text)
        except Exception as exc:  # noqa: BLE001 - shown on the session
            self._failed(sid, exc)
            return
        self.view.transcript.set_transcript(transcript)
        self._transcribed(sid, transcript)

    def _asr_progress(self, sid: str, payload) -> None:
        if sid != self.sid:
            return
        if payload[0] == "progress":
            self.view.transcript.set_progress(payload[1])
        elif payload[0] == "segment":
            self.view.transcript.add_segment(payload[1], payload[2] if len(payload) > 2 else 0.0)

    def _transcribed(self, sid: str, transcript) -> None:
        self._refresh_if_current(sid)
        if sid == self.sid:
            self.view.transcript.set_progress(None)
            self.view.transcript.set_transcript(transcript)
        self.transcript_ready.emit(sid)
        if self.auto_draft and sid == self.sid:
            self.generate()

    def save_transcript(self, transcript) -> None:
        if self.sid is not None and self.vault is not None:
            workflow.save_transcript(self.vault, self.sid, transcript)
            if self.note is not None:  # the checks follow the corrected transcript
                self.note.transcript = transcript
                self.run_checks(self.view.draft.sections())

    def play_from(self, seconds: float) -> None:
        if not self.player.loaded:
            data = self.vault.read_audio(self.sid)
            if data is None:
                return
            samples = workflow.session_audio(self.vault, self.sid)
            if not hasattr(samples, "dtype"):
                from soapdesk.core.audio import load_audio

                samples, _ = load_audio(samples)
            self.player.load(samples)
        self.player.play_from(seconds)

    # -- recording ----------------------------------------------------------------
    def toggle_recording(self) -> None:
        self.stop_recording() if self.recorder.recording else self.start_recording(
            self.view.record.device.currentData())

    def start_recording(self, device=None) -> None:
        sid = self._ensure_session()
        self._rec_sid = sid
        self._parts = []
        self.view.transcript.clear()
        try:
            self.recorder.start(device)
        except Exception as exc:  # noqa: BLE001 - no microphone, device busy...
            self.view.error_bar.show_error(exc)
            return
        self.vault.sessions.set_status(sid, "recording")
        self.view.record.set_recording(True)
        self._refresh_if_current(sid)

    def stop_recording(self) -> None:
        self.recorder.stop()

    def _store_chunk(self, seq: int, pcm: bytes) -> None:
        vault, sid = self.vault, self._rec_sid
        self.lanes.io.submit(lambda c, r: vault.append_audio_chunk(sid, seq, pcm), name="save audio",
                             failed=lambda exc: self._failed(sid, exc))

    def _transcribe_piece(self, offset: float, samples) -> None:
        pipeline, sid, parts = self.pipeline, self._rec_sid, self._parts

        def run(cancel, report):
            # Kept here, on the lane, not in a `finished` slot: the merge submitted at Stop runs
            # on the same serial lane right after the last piece, and may start before a queued
            # slot reaches the UI thread — the last piece's words would be lost.
            part = workflow.transcribe_piece(pipeline, offset, samples, report=report, cancel=cancel)
            parts.append(part)
            return part

        self.lanes.asr.submit(run, name="live transcription", progressed=lambda p: self._asr_progress(sid, p),
                              failed=lambda exc: self._failed(sid, exc))

    def _recording_stopped(self) -> None:
        self.view.record.set_recording(False)
        vault, sid, parts = self.vault, self._rec_sid, self._parts

        def finish(cancel, report):
            transcript = workflow.merge_transcripts(parts)
            workflow.save_transcript(vault, sid, transcript)
            vault.sessions.set_status(sid, "transcribing")
            if transcript.duration_s and not vault.sessions.get(sid).duration_s:
                # the recorded length prefills the billing minutes, unless the clinician gave the session's
                vault.sessions.update(sid, duration_s=transcript.duration_s)
            return transcript

        self._run("asr", sid, finish, self._asr_progress, self._transcribed)

    # -- drafting ------------------------------------------------------------------
    def generate(self) -> None:
        if self.sid is None or self.tasks.get("llm") is not None:
            return
        sid = self.sid
        row = self.vault.sessions.get(sid)
        template = templates.load(row.template or self.ctx.settings.template)
        if self.note is None:
            self.view.draft.set_sections([(s.key, s.title) for s in template.sections])
        self._order = [s.key for s in template.sections]
        self.view.draft.set_busy(True, "Starting the drafting model…")
        self.view.tabs.setCurrentIndex(DRAFT)
        vault, pipeline = self.vault, self.pipeline
        self._run("llm", sid, lambda cancel, report: workflow.draft_session(
            vault, pipeline, sid, row.template, report=report, cancel=cancel), self._llm_progress, self._drafted)
        self._refresh_if_current(sid)

    def _llm_progress(self, sid: str, payload) -> None:
        if sid != self.sid:
            return
        if payload[0] == "section":
            _, key, title = payload
            order = getattr(self, "_order", [])
            self.view.draft.start_section(key, title, order.index(key) if key in order else 0, len(order) or 1)
        elif payload[0] == "text":
            self.view.draft.stream_text(payload[1], payload[2])

    def _drafted(self, sid: str, note) -> None:
        self._refresh_if_current(sid)
        if sid == self.sid:
            self.view.draft.set_busy(False)
            self.reload()
        self.draft_ready.emit(sid)

    def cancel_drafting(self) -> None:
        task = self.tasks.get("llm")
        if task is not None:
            task.cancel()

    def regenerate(self, key: str) -> None:
        if self.note is None or self.tasks.get("llm") is not None:
            return
        self.flush()
        sid, vault, pipeline = self.sid, self.vault, self.pipeline
        self.view.draft.set_busy(True, "Writing the section again…")
        self._order = [key]

        def done(_sid, section):
            if _sid != self.sid:
                return
            self.view.draft.set_busy(False)
            editor = self.view.draft.editors[key]
            editor.set_text(section.text)
            self.view.draft.mark_saved(f"Saved as revision {vault.save_draft(self.note.note_id, self.view.draft.sections(), author='ai')}")
            self.run_checks(self.view.draft.sections())

        self._run("llm", sid, lambda cancel, report: workflow.regenerate_section(
            vault, pipeline, sid, key, report=report, cancel=cancel), self._llm_progress, done,
            restore_on_cancel=True)

    # -- editing, copying, finalizing ---------------------------------------------
    def save_edit(self, sections) -> None:
        if self.note is None or self.vault is None:
            return
        try:
            rev = workflow.save_edit(self.vault, self.note.note_id, sections)
        except Exception as exc:  # noqa: BLE001
            self.view.error_bar.show_error(exc)
            return
        self.view.draft.mark_saved("Saved" if rev is None else f"Saved as revision {rev}")

    def copy_note(self) -> None:
        if self.note is not None:
            self.clipboard.copy(workflow.note_for_clipboard(self.note, self.view.draft.sections()))
            self.view.draft.mark_saved("Note copied; the clipboard is cleared again in "
                                       f"{int(self.clipboard.clear_after_s)} s")

    def copy_section(self, key: str) -> None:
        for s in self.view.draft.sections():
            if s.key == key:
                self.clipboard.copy(workflow.section_for_clipboard(s))

    def finalize(self) -> None:
        if self.note is None or self.note.finalized or self.busy:
            return
        risk_list = self.view.draft.risk
        if not risk_list.all_confirmed():  # the button is disabled; this also stops the shortcut
            self.view.draft.side.setCurrentWidget(risk_list)
            self.view.draft.mark_saved("Confirm every line of the risk checklist before finalizing.")
            return
        statuses = risk_list.statuses()
        sections = self.view.draft.sections()
        clash = workflow.risk_contradictions(sections, statuses, self.checked.risk if self.checked else None)
        self.risk_warnings = clash
        if clash:
            text = ("The note's risk wording does not match what you confirmed in the risk checklist:\n\n"
                    + "\n".join(f"• {c}" for c in clash)
                    + f"\n\nA statement matching your confirmation would be:\n"
                    f"{workflow.suggested_risk_statement(statuses, self.note.template)}\n\n"
                    "Cancel to correct the note, or finalize it as it is.")
            if not Warn.ask(self.view.window(), "Risk wording does not match", text, "Finalize anyway"):
                self.view.draft.checks.checks.insertItem(0, "Risk wording: " + " ".join(clash))
                return
        elif not Confirm.ask(self.view.window(), "Finalize note",
                             "Finalize and lock this note? After this, changes can only be added as dated addenda.",
                             "Finalize"):
            return
        self.flush()
        who = self.ctx.clinician_name or "clinician"
        try:
            workflow.save_risk_confirmation(self.vault, self.note.note_id, statuses)
            self._confirmed = statuses
            self.vault.finalize_note(self.note.note_id, finalized_by=who)
        except Exception as exc:  # noqa: BLE001
            self.view.error_bar.show_error(exc)
            return
        self.sessions_changed.emit()
        self.reload()

    def add_addendum(self, text: str) -> None:
        try:
            self.vault.add_addendum(self.note.note_id, text, author="clinician")
        except Exception as exc:  # noqa: BLE001
            self.view.error_bar.show_error(exc)
            return
        self.reload()

    # -- checks, evidence, risk, billing, export ----------------------------------------
    def run_checks(self, sections) -> None:
        """Review the text on screen on the files lane; one at a time, the latest request wins."""
        if self.note is None or self.vault is None:
            return
        self._check_gen += 1
        if self._check_running:
            self._check_pending = list(sections)
            return
        self._check_running = True
        sid, gen, note = self.sid, self._check_gen, self.note
        self.view.draft.checks.set_checking()

        def done(result):
            self._check_running = False
            if sid == self.sid and gen == self._check_gen and self.vault is not None and result is not None:
                self._show_checked(result)
            pending, self._check_pending = self._check_pending, None
            if pending is not None and sid == self.sid:
                self.run_checks(pending)

        def failed(exc):
            self._check_running = False
            log.warning("checks failed: %s", type(exc).__name__)
            if sid == self.sid:
                self.view.draft.checks.status.setText("The checks could not run on this draft (details logged).")
            self._check_pending = None

        self.lanes.io.submit(lambda cancel, report: workflow.check_sections(note, sections), name="checks",
                             finished=done, failed=failed)

    def _show_checked(self, reviewed) -> None:
        self.checked = reviewed
        d = self.view.draft
        d.show_checks(reviewed)
        d.risk.set_findings(reviewed.risk or {}, self._confirmed)
        if self.note is not None and self.note.finalized:
            d.risk.set_locked(True)

    def _sentence(self, key: str, sentence: str):
        if self.checked is None:
            return None
        return next((se for se in self.checked.sentences.get(key, []) if se.text == sentence), None)

    def show_sentence_evidence(self, key: str, sentence: str) -> None:
        se = self._sentence(key, sentence)
        if se is None or self.checked is None:
            return
        segs = [s for s in self.checked.transcript.segments if s.id in set(se.evidence)]
        d = self.view.draft
        d.checks.show_evidence(se, segs)
        d.side.setCurrentWidget(d.checks)
        self.view.transcript.show_segments([s.id for s in segs])

    def show_in_transcript(self, ids) -> None:
        self.view.transcript.show_segments(list(ids))
        self.view.tabs.setCurrentIndex(TRANSCRIPT)

    def _risk_changed(self) -> None:
        risk_list = self.view.draft.risk
        if (self.note is None or self.vault is None or self.note.finalized or not risk_list.all_confirmed()):
            return
        statuses = risk_list.statuses()
        if statuses != self._confirmed:
            try:
                workflow.save_risk_confirmation(self.vault, self.note.note_id, statuses)
            except Exception as exc:  # noqa: BLE001
                self.view.error_bar.show_error(exc)
                return
            self._confirmed = statuses

    def suggest_billing(self, minutes) -> None:
        if self.note is None:
            return
        sid, note, panel = self.sid, self.note, self.view.draft.billing
        panel.results.clear()
        panel.results.addItem("Looking up codes…")
        panel.suggest_button.setEnabled(False)

        def done(result):
            panel.suggest_button.setEnabled(True)
            if sid == self.sid:
                panel.show_suggestions(result)

        def failed(exc):
            panel.suggest_button.setEnabled(True)
            panel.results.clear()
            if sid == self.sid:
                self.view.error_bar.show_error(exc)

        self.lanes.io.submit(lambda cancel, report: workflow.suggest_billing(note, minutes), name="billing",
                             finished=done, failed=failed)

    def export_note(self) -> None:
        if self.note is None or self.vault is None or self.vault.notes.finalization(self.note.note_id) is None:
            return
        row = self.vault.sessions.get(self.sid)
        choice = AskExportPath.ask(self.view.window(), f"note-{row.started_at[:10]}.txt")
        if choice is None:
            return
        dest, fmt = choice
        vault, note_id, d = self.vault, self.note.note_id, self.view.draft
        self.lanes.io.submit(lambda cancel, report: workflow.export_note(vault, note_id, dest, fmt), name="export",
                             finished=lambda p: d.mark_saved(f"Exported to {p}"),
                             failed=self.view.error_bar.show_error)

    # -- running work ----------------------------------------------------------------
    def _run(self, lane_name: str, sid: str, fn, on_progress, on_done, *, restore_on_cancel: bool = False):
        lane = getattr(self.lanes, lane_name)

        def finished(result):
            self.tasks.pop(lane_name, None)
            on_done(sid, result)

        def failed(exc):
            self.tasks.pop(lane_name, None)
            if sid == self.sid:
                self.view.draft.set_busy(False)
                self.view.transcript.set_progress(None)
            if isinstance(exc, Cancelled) and sid == self.sid and self.vault is not None:
                self.reload()
            if not isinstance(exc, Cancelled):
                self._failed(sid, exc)
            else:
                self.sessions_changed.emit()

        task = lane.submit(fn, name=lane_name, progressed=lambda p: on_progress(sid, p), finished=finished,
                           failed=failed)
        task.sid = sid
        if not task.done.is_set():
            self.tasks[lane_name] = task
        return task

    def _failed(self, sid: str, exc) -> None:
        log.info("session step failed: %s", type(exc).__name__)
        if sid == self.sid:
            self.view.error_bar.show_error(exc)
        if self.vault is not None:
            self._refresh_if_current(sid)
        self.task_failed.emit(sid, exc)
