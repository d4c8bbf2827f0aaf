"""Note templates are data files: one TOML file per format, editable without code.

Shipped templates live in soapdesk/templates/; a clinician's own templates in
<data dir>/templates/ override or add to them. A malformed file is rejected
with its line and the reason.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from soapdesk.core import paths
from soapdesk.core.errors import TemplateInvalid, UnknownTemplate

SHIPPED_DIR = Path(__file__).resolve().parents[1] / "templates"
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    instruction: str
    # A section read from the transcript by rule instead of drafted by the model (one of READERS).
    reader: str = ""
    # How long the section may be, as a multiple of the usual section length (Settings.section_max_tokens):
    # a physician's assessment and plan runs to several problems and is cut short at the usual length.
    length: float = 1.0


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    sections: tuple[SectionSpec, ...]
    description: str = ""
    path: Path | None = None
    # Who the note is about, as the profession writes it: therapists write "the
    # client", physicians and rehab therapists "the patient".
    person: str = "client"

    @property
    def keys(self) -> list[str]:
        return [s.key for s in self.sections]


PERSONS = ("client", "patient")
# Sections that can be read from the transcript by rule (soapdesk.core.drafting runs them).
READERS = ("review_of_systems", "physical_exam")
MIN_LENGTH, MAX_LENGTH = 0.5, 3.0


def user_dir() -> Path:
    return paths.data_dir() / "templates"


def _fail(path: Path, reason: str, line: int | None = None) -> TemplateInvalid:
    where = f"{path.name}, line {line}" if line else path.name
    return TemplateInvalid(f"The template {where} is not valid: {reason}.")


def _line_of(text: str, needle: str) -> int | None:
    for i, ln in enumerate(text.splitlines(), 1):
        if needle in ln:
            return i
    return None


def load_file(path: Path) -> Template:
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise _fail(path, str(exc).split(" (at")[0], int(m.group(1)) if m else None) from None
    tid = raw.get("id", path.stem)
    if not isinstance(tid, str) or not _KEY.match(tid):
        raise _fail(path, "'id' must be lower-case letters, digits or _", _line_of(text, "id"))
    sections = raw.get("section")
    if not isinstance(sections, list) or not sections:
        raise _fail(path, "it needs at least one [[section]]")
    specs, seen = [], set()
    for i, s in enumerate(sections, 1):
        line = _nth_section_line(text, i)
        for field in ("key", "title", "instruction"):
            if not isinstance(s.get(field), str) or not s[field].strip():
                raise _fail(path, f"section {i} has no '{field}'", line)
        if not _KEY.match(s["key"]):
            raise _fail(path, f"section key '{s['key']}' must be lower-case letters, digits or _", line)
        if s["key"] in seen:
            raise _fail(path, f"section key '{s['key']}' appears twice", line)
        seen.add(s["key"])
        reader = s.get("reader", "")
        if reader not in ("",) + READERS:
            raise _fail(path, f"section '{s['key']}' has reader '{reader}'; the readers are {', '.join(READERS)}",
                        line)
        length = s.get("length", 1.0)
        if isinstance(length, bool) or not isinstance(length, (int, float)) or not MIN_LENGTH <= length <= MAX_LENGTH:
            raise _fail(path, f"section '{s['key']}' has length {length!r}; it must be a number from {MIN_LENGTH} "
                        f"to {MAX_LENGTH} (a multiple of the usual section length)", line)
        specs.append(SectionSpec(s["key"], s["title"].strip(), " ".join(s["instruction"].split()), reader,
                                 float(length)))
    person = raw.get("person", "client")
    if person not in PERSONS:
        raise _fail(path, f"'person' must be one of {', '.join(PERSONS)}", _line_of(text, "person"))
    return Template(tid, str(raw.get("title", tid)), tuple(specs), str(raw.get("description", "")), path, person)


def _nth_section_line(text: str, n: int) -> int | None:
    count = 0
    for i, ln in enumerate(text.splitlines(), 1):
        if ln.strip() == "[[section]]":
            count += 1
            if count == n:
                return i
    return None


def available() -> dict[str, Path]:
    """Template id → file; a user template with a shipped id replaces it."""
    found = {p.stem: p for p in sorted(SHIPPED_DIR.glob("*.toml"))}
    if user_dir().is_dir():
        found.update({p.stem: p for p in sorted(user_dir().glob("*.toml"))})
    return found


def load(template_id: str) -> Template:
    files = available()
    if template_id not in files:
        raise UnknownTemplate(
            f"There is no note template called '{template_id}'. Available: {', '.join(sorted(files))}."
        )
    return load_file(files[template_id])
