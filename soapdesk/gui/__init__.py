"""The desktop window (PySide6). Wires widgets to `soapdesk.core` and `soapdesk.store`.

Domain work lives in Qt-free modules (`workflow`, `recording`, `context`, `asr_process`);
Qt classes here only lay out widgets, forward signals and run work on the
single-worker lanes of `tasks`. No QtNetwork or QtWebEngine anywhere.
"""
