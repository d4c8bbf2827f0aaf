"""Child process that decodes one untrusted audio file with PyAV.

Run as `python -m soapdesk.core.audio_worker`. PyAV/FFmpeg can crash the whole
process on malformed input (PyAV #2344, #689), so decoding never happens in
the app's own process. The parent (soapdesk.core.audio) sends one JSON line
on stdin — the request — followed by the file's bytes when decoding from
memory; the path never appears on the command line (file names can be PHI).

Replies on stdout are frames: 1 type byte + 4-byte little-endian length +
payload. Types: H header (JSON), P PCM (float32 LE, 16 kHz mono), W partial
warning (JSON), E error (JSON), D done (JSON). PCM only ever travels through
this pipe, never a temporary file. stderr is discarded by the parent.

Deliberately imports neither numpy nor soapdesk: start-up stays ~0.1 s.
"""

from __future__ import annotations

import io
import json
import os
import struct
import sys

RATE = 16000
_FLUSH_BYTES = 64 * 1024  # ~1 s of float32 PCM per frame on the pipe
_MAX_BAD_PACKETS = 50  # consecutive undecodable packets before giving up


def _send(out, kind: bytes, payload: bytes) -> None:
    out.write(kind + struct.pack("<I", len(payload)) + payload)


def _send_json(out, kind: bytes, obj: dict) -> None:
    _send(out, kind, json.dumps(obj).encode())


def _limit_memory(extra_bytes: int) -> None:
    # A crafted file must not be able to eat the machine's memory (T32).
    try:
        import resource

        limit = (1536 << 20) + 2 * extra_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


def _declared_duration(container, stream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None and container.duration > 0:
        return container.duration / 1_000_000  # AV_TIME_BASE
    return None


def _decode(container, stream, out, max_samples: int) -> None:
    import av

    resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
    pending = bytearray()
    total = 0
    bad = 0
    stopped_early = False

    def emit(frames) -> bool:
        nonlocal total
        for rf in frames:
            n = rf.samples
            pending.extend(memoryview(rf.planes[0])[: n * 4])
            total += n
            if len(pending) >= _FLUSH_BYTES:
                _send(out, b"P", bytes(pending))
                pending.clear()
            if total > max_samples:
                _send_json(out, b"E", {"kind": "too_long", "seconds": total / RATE})
                return False
        return True

    try:
        for packet in container.demux(stream):
            try:
                frames = packet.decode()
                bad = 0
            except av.error.FFmpegError:
                bad += 1  # skip a damaged packet, as players do
                if bad > _MAX_BAD_PACKETS:
                    stopped_early = True
                    break
                continue
            for frame in frames:
                try:
                    resampled = resampler.resample(frame)
                except ValueError:
                    # Layout/rate changed mid-stream: start a new resampler.
                    resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
                    resampled = resampler.resample(frame)
                if not emit(resampled):
                    return
    except (av.error.FFmpegError, EOFError, OSError):
        stopped_early = True  # demuxer hit a truncated or corrupt region
    try:
        if not emit(resampler.resample(None)):
            return
    except (av.error.FFmpegError, ValueError):
        pass
    if pending:
        _send(out, b"P", bytes(pending))
    if stopped_early:
        _send_json(out, b"W", {"kind": "partial"})
    _send_json(out, b"D", {"samples": total})


def _open(req: dict, stdin):
    import av

    if req.get("nbytes") is not None:
        data = stdin.read(req["nbytes"])
        src = io.BytesIO(data)
    else:
        # Opening the file ourselves means FFmpeg never parses the path as a URL.
        src = open(req["path"], "rb")
    # protocol_whitelist=file stops nested opens (HLS segments, concat entries)
    # from reaching the network even if a demuxer tried; the format is fixed
    # by the parent's allow-list, so FFmpeg does no probing of its own.
    return av.open(
        src,
        mode="r",
        format=req["format"],
        options={"protocol_whitelist": "file"},
        metadata_errors="ignore",
    )


def main() -> int:
    stdin = sys.stdin.buffer
    out = sys.stdout.buffer
    req = json.loads(stdin.readline())
    _limit_memory(req.get("nbytes") or 0)
    import av

    try:
        av.logging.set_level(None)  # FFmpeg's own log lines can quote paths/metadata
    except Exception:
        pass
    try:
        container = _open(req, stdin)
    except av.error.FFmpegError:
        _send_json(out, b"E", {"kind": "damaged"})
        return 0
    try:
        streams = container.streams.audio
        if not streams:
            _send_json(out, b"E", {"kind": "no_audio"})
            return 0
        stream = streams[0]
        cc = stream.codec_context
        declared = _declared_duration(container, stream)
        _send_json(
            out,
            b"H",
            {
                "codec": cc.name if cc is not None else None,
                "sample_rate": cc.sample_rate if cc is not None else None,
                "channels": cc.channels if cc is not None else None,
                "declared_s": declared,
            },
        )
        max_s = req["max_seconds"]
        if declared is not None and declared > max_s:
            _send_json(out, b"E", {"kind": "too_long", "seconds": declared})
            return 0
        if req["mode"] == "probe":
            _send_json(out, b"D", {"samples": 0})
            return 0
        _decode(container, stream, out, int(max_s * RATE))
    except av.error.FFmpegError:
        _send_json(out, b"E", {"kind": "damaged"})
    except (MemoryError, Exception):  # noqa: BLE001 — any failure here means "damaged file"
        _send_json(out, b"E", {"kind": "damaged"})
    finally:
        out.flush()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # the parent stopped reading (cancel, too long)
        os._exit(0)
