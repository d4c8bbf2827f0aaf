"""Audio in: formats, typed errors, crash isolation, no network via playlists, bounded windows."""

from __future__ import annotations

import socket
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from soapdesk.core import audio
from soapdesk.core.audio import AudioLimits, decode_audio, load_audio, open_audio, probe_duration
from soapdesk.core.errors import AudioSilent, AudioUnreadable

sys.path.insert(0, str(Path(__file__).parent))
import speech  # noqa: E402

pytestmark = speech.needs_espeak

TEXT = "The client reports sleeping about six hours and feeling less anxious this week."


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    """~5 s of speech, 16 kHz mono WAV."""
    return speech.say(TEXT, tmp_path_factory.mktemp("clip") / "clip.wav")


@pytest.fixture(scope="module")
def clip_seconds(clip) -> float:
    return speech.read_wav_float(clip).size / 16000


@pytest.fixture(scope="module")
def formats(clip, tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("fmt")
    x = speech.read_wav_float(clip)
    return {
        "wav": speech.sox_convert(clip, d / "s.wav", "-r", "44100", "-c", "2"),  # stereo 44.1k in
        "flac": speech.sox_convert(clip, d / "s.flac"),
        "ogg": speech.sox_convert(clip, d / "s.ogg"),  # Vorbis
        "mp3": speech.sox_convert(clip, d / "s.mp3"),
        "m4a": speech.pyav_encode(x, d / "s.m4a", container="mp4", codec="aac"),
        "webm": speech.pyav_encode(x, d / "s.webm", container="webm", codec="libopus"),
        "opus": speech.pyav_encode(x, d / "s.opus", container="ogg", codec="libopus"),
    }


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg", "mp3", "m4a", "webm", "opus"])
def test_every_format_decodes_to_16k_mono(formats, clip_seconds, fmt):
    samples, duration = load_audio(formats[fmt])
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert duration == pytest.approx(samples.size / 16000)
    # Codec priming/padding (AAC, Opus, MP3) adds at most a frame or two.
    assert duration == pytest.approx(clip_seconds, abs=0.15)
    assert 0.01 < float(np.sqrt(np.mean(samples**2))) < 1.0
    assert probe_duration(formats[fmt]) == pytest.approx(clip_seconds, abs=0.15)


def test_format_comes_from_magic_bytes_not_extension(formats, tmp_path):
    disguised = tmp_path / "session.wav"
    disguised.write_bytes(formats["ogg"].read_bytes())
    with open_audio(disguised) as stream:
        assert stream.format == "ogg"


def test_decode_from_memory(formats, clip_seconds):
    decoded = decode_audio(formats["m4a"].read_bytes(), name="upload.m4a")
    assert decoded.duration_s == pytest.approx(clip_seconds, abs=0.15)
    assert decoded.warnings == []


def _error_for(tmp_path: Path, name: str, data: bytes, **kw) -> Exception:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises((AudioUnreadable, AudioSilent)) as info:
        load_audio(path, **kw)
    msg = str(info.value)
    assert msg.startswith(name + " ") and msg.endswith(".")
    assert str(tmp_path) not in msg  # basename only, never the path
    assert "\n" not in msg
    return info.value


def test_empty_file(tmp_path):
    err = _error_for(tmp_path, "empty.wav", b"")
    assert isinstance(err, AudioUnreadable) and "empty" in str(err)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_bytes(tmp_path, seed):
    # Seed 1 happens to start with a valid MPEG frame sync: it gets past the
    # sniffer and must then fail in the decoder, still as a typed error.
    err = _error_for(tmp_path, "noise.mp3", np.random.default_rng(seed).bytes(4096))
    assert isinstance(err, AudioUnreadable)
    assert "not an audio file" in str(err) or "damaged or incomplete" in str(err)


def test_text_renamed_wav(tmp_path):
    err = _error_for(tmp_path, "notes.wav", b"Session notes: client doing well.\n" * 20)
    assert "not an audio file" in str(err)


def test_unsupported_container(tmp_path):
    err = _error_for(tmp_path, "movie.avi", b"RIFF\x00\x10\x00\x00AVI LIST" + b"\x00" * 200)
    assert "AVI video" in str(err) and "cannot open" in str(err)


def test_truncated_header_only(tmp_path, formats):
    err = _error_for(tmp_path, "cut.wav", formats["wav"].read_bytes()[:60])
    assert "damaged or incomplete" in str(err)


def test_truncated_m4a_without_index(tmp_path, formats):
    # PyAV writes the moov index at the end: cut it off and nothing is decodable.
    data = formats["m4a"].read_bytes()
    err = _error_for(tmp_path, "cut.m4a", data[: len(data) // 2])
    assert "damaged or incomplete" in str(err)


def test_partial_file_returns_audio_and_warning(tmp_path, clip):
    import av

    # Faststart MP4 (index first) cut at a third: the first part still decodes.
    x = np.tile(speech.read_wav_float(clip), 4)
    path = tmp_path / "long.m4a"
    with av.open(str(path), "w", format="mp4", options={"movflags": "faststart"}) as out:
        st = out.add_stream("aac", rate=16000)
        st.layout = "mono"
        rs = av.AudioResampler(format="fltp", layout="mono", rate=16000)
        fr = av.AudioFrame.from_ndarray(x.reshape(1, -1), format="flt", layout="mono")
        fr.sample_rate = 16000
        for rf in rs.resample(fr) + rs.resample(None):
            rf.pts = None
            for p in st.encode(rf):
                out.mux(p)
        for p in st.encode(None):
            out.mux(p)
    data = path.read_bytes()
    decoded = decode_audio(data[: len(data) // 3], name="long.m4a")
    assert 0 < decoded.duration_s < x.size / 16000 / 2
    assert len(decoded.warnings) == 1
    assert decoded.warnings[0].startswith("long.m4a: decoded 0:")
    assert f"of {audio.fmt_duration(x.size / 16000)}" in decoded.warnings[0]


def test_silent_file(tmp_path):
    path = speech.silence(tmp_path / "quiet.wav", 3.0)
    with pytest.raises(AudioSilent, match=r"^quiet\.wav contains only silence"):
        load_audio(path)


def test_too_long(clip):
    with pytest.raises(AudioUnreadable, match=r"^clip\.wav is longer than the 0:02 limit"):
        load_audio(clip, limits=AudioLimits(max_duration_s=2.0))


def test_missing_file(tmp_path):
    with pytest.raises(AudioUnreadable, match=r"^gone\.wav was not found\.$"):
        load_audio(tmp_path / "gone.wav")


class _Listener:
    """A local TCP server that counts connections (it must see none)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass

    def close(self):
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.mark.parametrize(
    "name, body",
    [
        ("session.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://127.0.0.1:{port}/a.ts\n#EXT-X-ENDLIST\n"),
        ("session.wav", "#EXTM3U\n#EXTINF:10,\nhttp://127.0.0.1:{port}/a.wav\n"),  # renamed playlist
        ("concat.ogg", "ffconcat version 1.0\nfile 'http://127.0.0.1:{port}/a.ogg'\n"),
    ],
)
def test_playlists_rejected_without_network(tmp_path, name, body):
    listener = _Listener()
    try:
        (tmp_path / name).write_text(body.format(port=listener.port))
        with pytest.raises(AudioUnreadable, match="playlist"):
            load_audio(tmp_path / name)
        with pytest.raises(AudioUnreadable, match="playlist"):
            load_audio((tmp_path / name).read_bytes(), name=name)
    finally:
        listener.close()
    assert listener.connections == 0


# A stand-in worker that answers like the real one, then dies from SIGSEGV.
_CRASH_AFTER_HEADER = (
    "import os, signal, struct, sys, json\n"
    "sys.stdin.buffer.readline()\n"
    "h = json.dumps({'declared_s': 60.0}).encode()\n"
    "o = sys.stdout.buffer\n"
    "o.write(b'H' + struct.pack('<I', len(h)) + h)\n"
    "{more}"
    "o.flush()\n"
    "os.kill(os.getpid(), signal.SIGSEGV)\n"
)


def test_worker_segfault_before_audio_is_a_typed_error(monkeypatch, clip):
    code = _CRASH_AFTER_HEADER.replace("{more}", "")
    monkeypatch.setattr(audio, "_worker_argv", lambda: [sys.executable, "-c", code])
    with pytest.raises(AudioUnreadable, match=r"^clip\.wav could not be decoded \(the decoder crashed\)"):
        load_audio(clip)


def test_worker_segfault_mid_file_keeps_decoded_audio(monkeypatch, clip):
    pcm = "p = (b'\\x00\\x00\\x80\\x3e' * 16000)\no.write(b'P' + struct.pack('<I', len(p)) + p)\n"
    code = _CRASH_AFTER_HEADER.replace("{more}", pcm)
    monkeypatch.setattr(audio, "_worker_argv", lambda: [sys.executable, "-c", code])
    decoded = decode_audio(clip)
    assert decoded.duration_s == pytest.approx(1.0)
    assert decoded.warnings == ["clip.wav: decoded 0:01 of 1:00; the rest of the file is damaged or missing."]


def test_hung_worker_is_killed(monkeypatch, clip):
    monkeypatch.setattr(audio, "_worker_argv", lambda: [sys.executable, "-c", "import time; time.sleep(60)"])
    with pytest.raises(AudioUnreadable, match="stopped responding"):
        load_audio(clip, limits=AudioLimits(stall_timeout_s=1.0))


def test_real_worker_survives_sigsegv_of_child(clip):
    # Kill the real child mid-stream: the parent gets a typed error or partial audio, never dies.
    import os
    import signal

    stream = open_audio(clip)
    os.kill(stream._proc.pid, signal.SIGSEGV)
    try:
        stream.read_all()
    except AudioUnreadable as err:
        assert "clip.wav" in str(err)
    finally:
        stream.close()


def test_windows_cover_the_file_with_offsets(tmp_path, clip):
    long = tmp_path / "long.flac"
    speech.sox_convert(clip, long, effects=("repeat", "4"))  # 5 copies
    total = speech.read_wav_float(clip).size * 5
    with open_audio(long) as stream:
        wins = list(stream.windows(window_s=7.0))
    sizes = [w.size for _, w in wins]
    assert sum(sizes) == total
    assert all(s == 7 * 16000 for s in sizes[:-1]) and 0 < sizes[-1] <= 7 * 16000
    assert [off for off, _ in wins] == [7.0 * i for i in range(len(wins))]
