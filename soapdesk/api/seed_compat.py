"""Names the SOAPNoteAPI seed uses, mapped onto SoapDesk's templates and specialty profiles."""

from __future__ import annotations

import re

from soapdesk.core.errors import BadInput

# The seed's "standard" template is a SOAP note.
TEMPLATE_ALIASES = {None: "soap", "": "soap", "standard": "soap", "soap": "soap", "default": "soap"}
_NOTE_ID = re.compile(r"^[0-9a-f]{32}$")


class UnknownName(BadInput):
    code = "invalid_field"


def template_id(name: str | None) -> str:
    from soapdesk.core import templates

    key = (name or "").strip().lower()
    if key in TEMPLATE_ALIASES:
        return TEMPLATE_ALIASES[key]
    if key in templates.available():
        return key
    valid = sorted(set(templates.available()) | {"standard"})
    raise UnknownName(f"Unknown template '{name}'. Valid templates: {', '.join(valid)}.")


def specialty(name: str | None):
    """The specialty profile for a seed or SoapDesk name, or None when not given."""
    if not name:
        return None
    from soapdesk.core import specialties

    try:
        return specialties.load_specialty(name)
    except BadInput:
        valid = sorted(s.id for s in specialties.all_specialties())
        raise UnknownName(f"Unknown specialty '{name}'. Valid specialties: {', '.join(valid)}.") from None


def looks_like_note_id(note_id: str) -> bool:
    return bool(_NOTE_ID.match(note_id or ""))
