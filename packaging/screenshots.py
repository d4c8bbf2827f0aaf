"""Save PNG screenshots of SoapDesk's main screens (for reviewers).

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python packaging/screenshots.py [OUT_DIR]

Runs the real window on a throwaway data directory with a demo vault holding
one canned session (transcript + AI draft), so no model has to run. Writes
unlock.png, create_vault.png, draft.png (with the checks and a sentence's
evidence), risk_checklist.png, billing.png, transcript.png, settings.png,
models.png, privacy.png into OUT_DIR (default: screenshots/).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_PASS = "demo harbor lantern 42"

TRANSCRIPT = [
    ("clinician", "Good afternoon. How have things been since our last session two weeks ago?"),
    ("client", "A little better. I have been sleeping about six hours most nights now."),
    ("clinician", "That is progress. How about the worry before work in the mornings?"),
    ("client", "Still there, but I used the breathing exercise on three mornings and it helped."),
    ("clinician", "Where is the worry right now, zero to ten?"),
    ("client", "About a four."),
    ("clinician", "Any thoughts of suicide or of killing yourself since we last met?"),
    ("client", "No, never."),
    ("clinician", "Any thoughts of hurting yourself?"),
    ("client", "No."),
    ("clinician", "Good. Let's keep the exercise and add a short walk at lunch. Same time next Tuesday?"),
    ("client", "Yes, Tuesday at ten works."),
]
SECTIONS = [
    ("subjective", "Subjective", "Client reports improved sleep (about six hours most nights) and ongoing "
     "morning worry before work, eased by the breathing exercise on three mornings; worry rated 3 now. "
     "Client also reports better appetite since starting sertraline 50 mg."),
    ("objective", "Objective", "Client was engaged and on time; speech normal in rate and tone."),
    ("assessment", "Assessment", "Generalized anxiety with partial response to coping skills; sleep improving. "
     "Client denies suicidal ideation and self-harm."),
    ("plan", "Plan", "Continue daily breathing exercise; add a short lunchtime walk. Next session Tuesday 10:00."),
]


def demo_note():
    from soapdesk.core.note import Note, Section
    from soapdesk.core.transcript import Segment, Transcript

    segs = [Segment(i + 1, text, i * 9.5, i * 9.5 + 8.0, role) for i, (role, text) in enumerate(TRANSCRIPT)]
    return Note(template="soap", sections=[Section(*s) for s in SECTIONS],
                transcript=Transcript(segs, duration_s=50 * 60.0, source="audio"),
                models={"asr": "whisper-tiny.en", "llm": "demo"})


class SilentDevices:
    """No real audio device while taking screenshots."""

    def query_devices(self):
        return [{"name": "Built-in microphone", "max_input_channels": 1}]


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else ROOT / "screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    data = tempfile.mkdtemp(prefix="soapdesk-screens-")
    os.environ["SOAPDESK_DATA_DIR"] = data

    from PySide6.QtWidgets import QApplication

    from soapdesk.gui.context import AppContext, VaultOpener
    from soapdesk.gui.create_vault_dialog import CreateVaultDialog
    from soapdesk.gui.main_window import MODELS, PRIVACY, SETTINGS, MainWindow
    from soapdesk.gui.session_view import DRAFT, TRANSCRIPT as TRANSCRIPT_TAB
    from soapdesk.gui.tasks import SyncLane
    from soapdesk.store.keys import TEST_PARAMS

    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("SoapDesk")
    # A throwaway demo vault: cheap key derivation is fine here, never for real data.
    opener = VaultOpener(kdf=TEST_PARAMS, allow_weak_kdf_for_tests=True)
    ctx = AppContext(opener=opener, sounddevice=SilentDevices(), save_settings=False, clinician_name="Dr. Rivera")
    window = MainWindow(ctx)
    window.resize(1280, 820)
    window.show()

    def snap(widget, name):
        for _ in range(5):
            app.processEvents()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)

    dlg = CreateVaultDialog(opener, SyncLane())
    dlg.first.setText(DEMO_PASS)
    dlg.second.setText(DEMO_PASS + "!")
    dlg.resize(520, 300)
    dlg.show()
    snap(dlg, "create_vault")
    dlg.close()

    vault, _ = opener.create(DEMO_PASS)
    sid = vault.save_note(demo_note(), client_label="J.D.")
    vault.start_session(client_label="A.M.", template="dap")
    vault.close()
    window.unlock_view.passphrase.setText(DEMO_PASS)
    snap(window, "unlock")

    window.attach(opener.open(DEMO_PASS))
    window.sessions.open_session(sid)
    window.refresh_sessions()
    window.session_view.tabs.setCurrentIndex(DRAFT)
    sessions, draft = window.sessions, window.session_view.draft

    def pump_until(cond, seconds=120):
        import time

        end = time.time() + seconds
        while not cond() and time.time() < end:
            app.processEvents()
            time.sleep(0.02)

    pump_until(lambda: sessions.checked is not None and not sessions._check_running)
    sessions.show_sentence_evidence("subjective", SECTIONS[0][2].split(". ")[0] + ".")
    snap(window, "draft")
    from soapdesk.core import risk

    for domain in (risk.SI, risk.SH, risk.HI):
        draft.risk.confirm(domain)
    draft.side.setCurrentWidget(draft.risk)
    snap(window, "risk_checklist")
    draft.side.setCurrentWidget(draft.billing)
    draft.billing.suggest_button.click()
    pump_until(lambda: any("CPT" in t for t in draft.billing.codes()))
    snap(window, "billing")
    window.session_view.tabs.setCurrentIndex(TRANSCRIPT_TAB)
    snap(window, "transcript")
    for page, name in ((SETTINGS, "settings"), (MODELS, "models"), (PRIVACY, "privacy")):
        window.show_page(page)
        snap(window, name)
    window.lock()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
