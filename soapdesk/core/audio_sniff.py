"""Decide from a file's first bytes which FFmpeg demuxer may open it.

The extension is never trusted: a playlist renamed `.wav` must not reach
FFmpeg's HLS/concat demuxers (which open URLs), and a text file renamed `.mp3`
should get "not an audio file" rather than an FFmpeg error. Only the demuxers
in ALLOWED can be chosen; FFmpeg's own probing is never used.
"""

from __future__ import annotations

# container kind -> FFmpeg demuxer name passed as av.open(format=...)
ALLOWED = {
    "wav": "wav",
    "flac": "flac",
    "ogg": "ogg",  # Vorbis, Opus, FLAC-in-Ogg
    "matroska": "matroska",  # WebM and MKA (Opus/Vorbis)
    "mp4": "mp4",  # M4A / MP4 / MOV (AAC, ALAC)
    "mp3": "mp3",
}

# How many leading bytes the sniffer wants (plus the bytes after an ID3 tag).
HEAD_BYTES = 64


class Rejected(Exception):
    """The bytes are not something we open. `kind` picks the user's sentence."""

    def __init__(self, kind: str, what: str = ""):
        super().__init__(kind)
        self.kind = kind  # "not_audio" | "playlist" | "unsupported"
        self.what = what  # e.g. "AVI video", for the message


def id3_length(head: bytes) -> int:
    """Bytes taken by a leading ID3v2 tag (0 if none). MP3 and FLAC may carry one."""
    if len(head) < 10 or head[:3] != b"ID3":
        return 0
    size = 0
    for b in head[6:10]:  # "synchsafe" integer: 7 bits per byte
        size = (size << 7) | (b & 0x7F)
    footer = 10 if head[5] & 0x10 else 0
    return 10 + size + footer


def read_head(fh) -> tuple[bytes, bytes]:
    """(first bytes, bytes after an ID3 tag if there is one) of an open binary file."""
    head = fh.read(HEAD_BYTES)
    skip = id3_length(head)
    after = b""
    if skip:
        fh.seek(skip)
        after = fh.read(HEAD_BYTES)
    return head, after


def sniff(head: bytes, after_id3: bytes = b"") -> str:
    """Return an FFmpeg demuxer name from ALLOWED, or raise Rejected.

    `after_id3` holds the bytes right after a leading ID3 tag, when there is one.
    """
    if head[:3] == b"ID3":
        # An ID3 tag says nothing about the codec; look at what follows it.
        inner = after_id3[:HEAD_BYTES]
        if inner[:4] == b"fLaC":
            return ALLOWED["flac"]
        if _is_mpeg_audio_sync(inner):
            return ALLOWED["mp3"]
        raise Rejected("unsupported", "tagged stream that is not MP3 or FLAC")
    if len(head) >= 12 and head[:4] in (b"RIFF", b"RF64", b"BW64") and head[8:12] == b"WAVE":
        return ALLOWED["wav"]
    if head[:4] == b"fLaC":
        return ALLOWED["flac"]
    if head[:4] == b"OggS":
        return ALLOWED["ogg"]
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return ALLOWED["matroska"]
    if len(head) >= 8 and head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free"):
        return ALLOWED["mp4"]
    if _is_mpeg_audio_sync(head):
        return ALLOWED["mp3"]
    raise _classify_rejected(head)


def _is_mpeg_audio_sync(b: bytes) -> bool:
    # 11-bit frame sync, a valid MPEG version, and layer I/II/III (00 = ADTS AAC).
    if len(b) < 4 or b[0] != 0xFF or (b[1] & 0xE0) != 0xE0:
        return False
    version = (b[1] >> 3) & 0x3
    layer = (b[1] >> 1) & 0x3
    bitrate = b[2] >> 4
    return version != 1 and layer != 0 and bitrate != 0xF


_KNOWN_OTHER = (
    (b"RIFF", 8, b"AVI ", "AVI video"),
    (b"FORM", 8, b"AIFF", "AIFF audio"),
    (b"FORM", 8, b"AIFC", "AIFF audio"),
    (b"#!AMR", 0, b"", "AMR audio"),
    (b"\x30\x26\xb2\x75", 0, b"", "Windows Media"),
)


def _classify_rejected(head: bytes) -> Rejected:
    for magic, off, sub, what in _KNOWN_OTHER:
        if head.startswith(magic) and (not sub or head[off : off + len(sub)] == sub):
            return Rejected("unsupported", what)
    if len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xF6) == 0xF0:
        return Rejected("unsupported", "raw AAC stream")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    # Playlists and concat scripts make FFmpeg open other files or URLs.
    if text.startswith((b"#extm3u", b"ffconcat", b"[playlist]", b"file ")) or b"<smil" in text:
        return Rejected("playlist")
    return Rejected("not_audio")
