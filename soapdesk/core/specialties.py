"""Specialty profiles (soapdesk/specialties.toml): who the clinician is changes
the default note template, what each section should stress, and the
vocabulary that helps transcription and drafting spell terms right.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from soapdesk.core import templates as tpl
from soapdesk.core.errors import BadInput

SPECIALTIES_FILE = Path(__file__).resolve().parents[1] / "specialties.toml"
_ID = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


class UnknownSpecialty(BadInput):
    code = "unknown_specialty"


class SpecialtiesInvalid(BadInput):
    code = "specialties_invalid"


@dataclass(frozen=True)
class Specialty:
    id: str
    title: str
    aliases: tuple[str, ...]
    default_template: str
    section_hints: dict = field(default_factory=dict)
    vocabulary: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "aliases": list(self.aliases),
                "default_template": self.default_template, "section_hints": dict(self.section_hints),
                "vocabulary": list(self.vocabulary)}


def _norm(name: str) -> str:
    return re.sub(r"[\s/-]+", "_", name.strip().lower())


def parse(text: str, source: str = "specialties.toml") -> tuple[Specialty, ...]:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecialtiesInvalid(f"The specialty file {source} is not valid: {str(exc).split(' (at')[0]}.") from None
    items = raw.get("specialty")
    if not isinstance(items, list) or not items:
        raise SpecialtiesInvalid(f"The specialty file {source} has no [[specialty]] entries.")
    out, ids, names = [], set(), {}
    for i, s in enumerate(items, 1):
        sid = s.get("id")
        if not isinstance(sid, str) or not _ID.match(sid):
            raise SpecialtiesInvalid(f"Specialty {i} in {source} needs an 'id' of lower-case letters, digits or _.")
        if sid in ids:
            raise SpecialtiesInvalid(f"The specialty id '{sid}' appears twice in {source}.")
        for f in ("title", "default_template"):
            if not isinstance(s.get(f), str) or not s[f].strip():
                raise SpecialtiesInvalid(f"Specialty '{sid}' in {source} has no '{f}'.")
        hints = s.get("section_hints", {})
        if not isinstance(hints, dict) or not all(isinstance(v, str) for v in hints.values()):
            raise SpecialtiesInvalid(f"Specialty '{sid}' in {source}: 'section_hints' must map section keys to text.")
        aliases = tuple(_norm(a) for a in s.get("aliases", []) if isinstance(a, str))
        for n in (sid, *aliases):
            if n in names and names[n] != sid:
                raise SpecialtiesInvalid(f"The name '{n}' is used by both '{names[n]}' and '{sid}' in {source}.")
            names[n] = sid
        ids.add(sid)
        out.append(Specialty(sid, s["title"].strip(), aliases, s["default_template"].strip(), dict(hints),
                             tuple(str(v) for v in s.get("vocabulary", []))))
    return tuple(out)


@lru_cache(maxsize=1)
def all_specialties() -> tuple[Specialty, ...]:
    return parse(SPECIALTIES_FILE.read_text(encoding="utf-8"), SPECIALTIES_FILE.name)


def load_specialty(id_or_alias: str) -> Specialty:
    """A profile by id or alias ("nurse_practitioner", "therapist", "PT", "ob-gyn")."""
    key = _norm(id_or_alias or "")
    for s in all_specialties():
        if key == s.id or key in s.aliases:
            return s
    ids = ", ".join(s.id for s in all_specialties())
    raise UnknownSpecialty(f"There is no specialty called '{id_or_alias}'. Available: {ids}.")


def apply_specialty(template: tpl.Template, specialty: Specialty | str) -> tpl.Template:
    """The template with the specialty's hints appended to matching sections'
    instructions (`"*"` applies to every section)."""
    sp = load_specialty(specialty) if isinstance(specialty, str) else specialty
    common = sp.section_hints.get("*", "")
    sections = []
    for sec in template.sections:
        extra = " ".join(h for h in (sp.section_hints.get(sec.key, ""), common) if h)
        instr = f"{sec.instruction} {sp.title}: {extra}" if extra else sec.instruction
        sections.append(replace(sec, instruction=instr))
    return replace(template, sections=tuple(sections))


def template_for(specialty: Specialty | str) -> tpl.Template:
    """The specialty's default template with its hints applied."""
    sp = load_specialty(specialty) if isinstance(specialty, str) else specialty
    return apply_specialty(tpl.load(sp.default_template), sp)
