"""The window's speech recognition, in a child process (no Qt).

Loading faster-whisper parses the model's tokenizer.json in Rust without
releasing the GIL: ~95 ms here, ~130 ms on a busy machine, and the window's
event loop cannot run meanwhile (found with `benchmarks/gui_bench.py
--trace-stalls`). No thread can hide a call that keeps the GIL, so the window
runs the WhisperTranscriber in one long-lived child process; the window's
process never imports faster-whisper, and whisper's Python-side work (VAD,
guards) stays off its GIL too. The CLI and the API keep transcribing
in-process, where nobody watches an event loop.

`ProcessTranscriber` has the shape core's Pipeline expects of a transcriber
(`transcribe(source, on_progress=, on_segment=, cancel=)`). The child starts
on `start()` — the window calls it at unlock, so the first recording finds the
model loaded — or on first use; it serves one request at a time, and exits on
`close()` (lock, quit) or when the window's process goes away (its end of the
pipe closes). If the child dies mid-way, that transcription fails with a
plain sentence and the next one starts a new child.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import threading

from soapdesk.core.errors import Cancelled, ModelError, SoapDeskError

log = logging.getLogger(__name__)

POLL_S = 0.05  # how often a waiting transcription looks at `cancel` and the child's health
_spawn = multiprocessing.get_context("spawn")  # never fork a process that runs Qt and model threads


class TranscriberStopped(ModelError):
    code = "transcriber_stopped"

    def __init__(self, message: str = "The speech recognizer stopped unexpectedly. Try again; if it keeps "
                                      "happening, reinstall the speech model on the Models page."):
        super().__init__(message)


class ProcessTranscriber:
    def __init__(self, settings):
        self.settings = settings  # core Settings: the child builds the same transcriber the CLI would
        self.model_id = settings.asr_model
        self._lock = threading.Lock()  # one request at a time (the asr lane is serial anyway)
        self._proc = None
        self._conn = None
        self._cancel = None

    # -- the child's life ----------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.is_alive()

    def start(self, *, load: bool = True) -> None:
        """Start the child (if not running) and let it load the model in the background."""
        with self._lock:
            self._ensure(load=load)

    def _ensure(self, *, load: bool = False):
        if not self.running:
            self._reset()
            parent, child = _spawn.Pipe()
            self._cancel = _spawn.Event()
            self._proc = _spawn.Process(target=serve, args=(child, self._cancel, self.settings),
                                        name="soapdesk-asr", daemon=True)
            self._proc.start()
            child.close()
            self._conn = parent
            log.info("speech recognizer process started (pid %s)", self._proc.pid)
            if load:
                self._conn.send(("load", None))
        return self._conn

    def _reset(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._proc is not None and self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(2)
        self._proc = self._conn = None

    def close(self, timeout_s: float = 2.0) -> threading.Thread | None:
        """Ask the child to exit — on lock and quit. Returns at once: a helper thread waits
        for the exit (and ends the child if it does not go), so locking never waits on it.
        That thread is returned for whoever must know the child is gone; only it may join
        the child (two threads joining one process race in multiprocessing: the loser can
        see a reaped child as alive)."""
        with self._lock:
            proc, conn = self._proc, self._conn
            self._proc = self._conn = None
        if proc is None:
            return None
        try:
            conn.send(None)
        except (OSError, ValueError):
            pass
        conn.close()
        reaper = threading.Thread(target=_reap, args=(proc, timeout_s), name="asr-reaper", daemon=True)
        reaper.start()
        return reaper

    # -- the Transcriber protocol ----------------------------------------------------
    def transcribe(self, source, *, on_progress=None, on_segment=None, cancel=None):
        if cancel is not None and cancel.is_set():
            raise Cancelled()  # before the child starts: a short clip could finish before it looks
        with self._lock:
            conn = self._ensure()
            self._cancel.clear()
            try:
                conn.send(("transcribe", source))
            except (OSError, ValueError):  # the child died while idle
                self._reset()
                conn = self._ensure()
                conn.send(("transcribe", source))
            try:
                return self._await(conn, on_progress, on_segment, cancel)
            except _ChildError as err:
                raise err.exc from None  # the child is fine and waiting for the next request
            except BaseException:
                self._reset()  # a callback failed or the child died: out of step, start afresh next time
                raise

    def _await(self, conn, on_progress, on_segment, cancel):
        while True:
            if cancel is not None and cancel.is_set():
                self._cancel.set()  # the child stops at its next check and answers Cancelled
            try:
                if not conn.poll(POLL_S):
                    if not self._proc.is_alive():
                        raise EOFError
                    continue
                kind, value = conn.recv()
            except (EOFError, OSError):
                log.warning("speech recognizer process ended (exit code %s)", self._proc.exitcode)
                raise TranscriberStopped() from None
            if kind == "progress":
                if on_progress:
                    on_progress(value)
            elif kind == "segment":
                if on_segment:
                    on_segment(value)
            elif kind == "done":
                return value
            elif kind == "error":
                raise _ChildError(value)


def _reap(proc, timeout_s: float) -> None:
    proc.join(timeout_s)
    if proc.is_alive():
        proc.terminate()
        proc.join(2)
    if proc.is_alive():  # stuck in a library's shutdown: it holds nothing worth saving
        proc.kill()
        proc.join(2)


class _ChildError(Exception):
    """An error the child reported for one request (as opposed to the child failing)."""

    def __init__(self, exc: BaseException):
        super().__init__(type(exc).__name__)
        self.exc = exc


# -- the child ---------------------------------------------------------------------------

def serve(conn, cancel, settings) -> None:
    """The child's loop: requests in, progress/segments/result or error out."""
    from soapdesk.core import netguard

    netguard.install()  # the same offline guarantee as the window's process
    transcriber = None

    def get():
        nonlocal transcriber
        if transcriber is None:
            from soapdesk.core.pipeline import Pipeline

            transcriber = Pipeline(settings).transcriber
        return transcriber

    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return  # the window's process is gone
        if msg is None:
            # Leave without interpreter shutdown: CTranslate2's and ONNX Runtime's
            # thread pools can hang it, and this process has nothing to flush.
            conn.close()
            os._exit(0)
        kind, source = msg
        try:
            if kind == "load":
                try:
                    get().model()
                except Exception as exc:  # noqa: BLE001 - reported when a transcription asks
                    log.warning("speech model preload failed: %s", type(exc).__name__)
                continue  # no reply: nobody waits for a preload
            result = get().transcribe(source, on_progress=lambda f: conn.send(("progress", f)),
                                      on_segment=lambda s: conn.send(("segment", s)), cancel=cancel)
            conn.send(("done", result))
        except (BrokenPipeError, EOFError):
            return
        except BaseException as exc:  # noqa: BLE001 - the parent raises it
            try:
                conn.send(("error", _portable(exc)))
            except (BrokenPipeError, EOFError, OSError):
                return


def _portable(exc: BaseException) -> BaseException:
    """The exception itself if it survives pickling (core's typed errors do), else a plain one."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001
        if isinstance(exc, SoapDeskError):
            return SoapDeskError(str(exc))
        return RuntimeError(f"speech recognition failed ({type(exc).__name__})")
