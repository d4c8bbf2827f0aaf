"""HTTP routes mirroring the SOAPNoteAPI seed, on FastAPI.

Every error body is `{"code": <stable code>, "message": <one sentence>}`.
Nothing here logs request bodies: they are PHI.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import queue
import threading
from typing import Optional

from fastapi import Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from soapdesk import __version__
from soapdesk.api.jobs import QueueFull
from soapdesk.api.service import NoteService, NotFound
from soapdesk.core import templates
from soapdesk.core.errors import (AudioSilent, AudioUnreadable, BadInput, Cancelled, ModelError, SoapDeskError,
                                  TranscriptEmpty)

log = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD = 200 * 1024 * 1024
AUDIO_TYPES = {"audio/", "video/webm", "video/mp4", "video/ogg", "application/ogg", "application/octet-stream"}


class NoteRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    transcript: str = Field(min_length=1, max_length=2_000_000)
    specialty: Optional[str] = Field(default=None, max_length=64)
    template: Optional[str] = Field(default=None, max_length=64)
    include_billing_codes: bool = False


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def _error(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


def _from_domain(exc: Exception) -> ApiError:
    if isinstance(exc, QueueFull):
        return ApiError(503, exc.code, str(exc), {"Retry-After": str(exc.retry_after_s)})
    if isinstance(exc, AudioUnreadable) and _unsupported(exc):
        return ApiError(415, "unsupported_media", str(exc))
    if isinstance(exc, (AudioUnreadable, AudioSilent, TranscriptEmpty, BadInput)):
        return ApiError(422, exc.code, str(exc))
    if isinstance(exc, ModelError):
        return ApiError(503, exc.code, str(exc))
    if isinstance(exc, Cancelled):
        return ApiError(499, exc.code, str(exc))
    if isinstance(exc, SoapDeskError):
        return ApiError(500, exc.code, str(exc))
    return ApiError(500, "internal_error", "The note could not be made because of an internal error.")


def _unsupported(exc: AudioUnreadable) -> bool:
    text = str(exc).lower()
    return any(w in text for w in ("not an audio", "not audio", "unsupported", "playlist", "not a supported"))


def create_app(service: NoteService, token: str, *, max_upload_bytes: int = DEFAULT_MAX_UPLOAD) -> FastAPI:
    app = FastAPI(title="SoapDesk local note API", version=__version__,
                  description="SOAPNoteAPI-compatible note drafting on this machine. Nothing leaves it.")
    bearer = HTTPBearer(auto_error=False)
    expected = token.encode()

    def authorized(creds: Optional[HTTPAuthorizationCredentials] = Depends(bearer)) -> None:
        if creds is None or not hmac.compare_digest(creds.credentials.encode(), expected):
            raise ApiError(401, "unauthorized", "A valid API token is required (Authorization: Bearer ...).",
                           {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return _error(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) or "body" for e in exc.errors()})
        return _error(422, "invalid_field", f"These fields are missing or invalid: {', '.join(fields)}.")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        codes = {404: "not_found", 405: "method_not_allowed"}
        return _error(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.error("unexpected API error: %s", type(exc).__name__)
        return _error(500, "internal_error", "The request failed because of an internal error.")

    async def _run(fn, *args, **kwargs):
        try:
            return await run_in_threadpool(fn, *args, **kwargs)
        except (SoapDeskError, Exception) as exc:  # noqa: BLE001 - mapped to one JSON error
            if isinstance(exc, ApiError):
                raise
            if not isinstance(exc, SoapDeskError):
                # type and frames only: the logging formatter drops messages that could hold PHI
                log.error("request failed unexpectedly", exc_info=exc)
            raise _from_domain(exc) from None

    @app.get("/healthz", tags=["meta"])
    async def healthz():
        return {"status": "ok", "version": __version__, "queued": service.gate.in_system}

    @app.get("/v1/templates", dependencies=[Depends(authorized)], tags=["meta"])
    async def list_templates():
        out = []
        for tid in sorted(templates.available()):
            t = templates.load(tid)
            out.append({"id": t.id, "title": t.title, "sections": [{"key": s.key, "title": s.title}
                                                                   for s in t.sections]})
        return {"templates": out, "aliases": {"standard": "soap"}}

    @app.get("/v1/specialties", dependencies=[Depends(authorized)], tags=["meta"])
    async def list_specialties():
        from soapdesk.core import specialties

        return {"specialties": [{"id": s.id, "title": s.title, "aliases": list(s.aliases),
                                 "default_template": s.default_template} for s in specialties.all_specialties()]}

    @app.post("/v1/note", dependencies=[Depends(authorized)], tags=["notes"])
    async def create_note(body: NoteRequest):
        return await _run(service.draft, transcript=body.transcript, template=body.template,
                          specialty=body.specialty, include_billing=body.include_billing_codes)

    @app.post("/v1/note/audio", dependencies=[Depends(authorized)], tags=["notes"])
    async def create_note_from_audio(request: Request, audio: UploadFile = File(...),
                                     specialty: Optional[str] = Form(None), template: Optional[str] = Form(None),
                                     include_billing_codes: bool = Form(False)):
        declared = int(request.headers.get("content-length") or 0)
        if declared > max_upload_bytes + 64 * 1024:
            raise ApiError(413, "too_large", f"The upload is larger than {max_upload_bytes // (1024 * 1024)} MB.")
        ctype = (audio.content_type or "application/octet-stream").lower()
        if not any(ctype.startswith(t) for t in AUDIO_TYPES):
            raise ApiError(415, "unsupported_media", f"'{ctype}' is not an audio type; send MP3, M4A, WAV, "
                                                     "OGG, WebM or FLAC.")
        data = await audio.read(max_upload_bytes + 1)
        if len(data) > max_upload_bytes:
            raise ApiError(413, "too_large", f"The upload is larger than {max_upload_bytes // (1024 * 1024)} MB.")
        return await _run(service.draft, audio=data, template=template, specialty=specialty,
                          include_billing=include_billing_codes)

    @app.post("/v1/stream/note", dependencies=[Depends(authorized)], tags=["notes"])
    async def stream_note(body: NoteRequest):
        """Server-Sent Events: `section` when a section starts, `delta` for each piece
        of its text, then `note` with the whole note (or `error`)."""
        events: queue.Queue = queue.Queue()
        cancel = threading.Event()

        def work():
            try:
                note = service.draft(
                    transcript=body.transcript, template=body.template, specialty=body.specialty,
                    include_billing=body.include_billing_codes,
                    on_section=lambda k, t: events.put(("section", {"key": k, "title": t})),
                    on_text=lambda k, d: events.put(("delta", {"key": k, "text": d})), cancel=cancel)
                events.put(("note", note))
            except Exception as exc:  # noqa: BLE001 - becomes an error event
                err = _from_domain(exc)
                events.put(("error", {"code": err.code, "message": err.message}))
            events.put(None)

        # Fail fast (before the 200 and the event stream) on bad names or a full queue.
        try:
            from soapdesk.api import seed_compat

            seed_compat.template_id(body.template)
            seed_compat.specialty(body.specialty)
            if service.gate.in_system > service.gate.max_waiting:
                service.gate.slot()  # raises QueueFull with a Retry-After
        except Exception as exc:  # noqa: BLE001
            raise _from_domain(exc) from None
        threading.Thread(target=work, name="sse-note", daemon=True).start()

        async def gen():
            try:
                while True:
                    item = await asyncio.get_running_loop().run_in_executor(None, events.get)
                    if item is None:
                        return
                    kind, data = item
                    yield f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
            finally:
                cancel.set()  # the client went away: stop drafting

        return StreamingResponse(gen(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    @app.get("/v1/note/{note_id}", dependencies=[Depends(authorized)], tags=["notes"])
    async def get_note(note_id: str):
        try:
            return await run_in_threadpool(service.get, note_id)
        except NotFound:
            raise ApiError(404, "not_found", "No note with that id (it may have expired or been deleted).") from None

    @app.delete("/v1/note/{note_id}", dependencies=[Depends(authorized)], tags=["notes"])
    async def delete_note(note_id: str):
        try:
            await run_in_threadpool(service.delete, note_id)
        except NotFound:
            raise ApiError(404, "not_found", "No note with that id (it may have expired or been deleted).") from None
        return {"deleted": True, "noteId": note_id}

    return app
