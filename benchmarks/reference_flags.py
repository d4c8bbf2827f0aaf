"""The grounding checks run on notes a clinician wrote: ACI-Bench's reference notes
against their own dialogues (train and valid splits only).

A reference note is not a perfect answer key for its dialogue: its authors added
vitals, doses and history from the chart that the conversation never says, so
many of these flags are right. Every flag here is still a sentence a clinician
would have to look at, so the count is the checks' false-alarm surface, and a
change that removes flags must remove wrong ones. Read the listed sentences
before and after a change to the checks:

    .venv/bin/python benchmarks/reference_flags.py [--list]

Writes benchmarks/results/reference_flags.json (counts by kind, and every
flagged sentence with its reason: public data, no PHI).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import aci_items  # noqa: E402

from soapdesk.core import clinical_text as ct  # noqa: E402
from soapdesk.core import grounding  # noqa: E402
from soapdesk.core.transcript_text import parse_transcript  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "reference_flags.json"


def run() -> dict:
    flagged, sentences, notes = [], 0, 0
    t0 = time.perf_counter()
    for split in ("train", "valid"):
        for item in aci_items(split):
            notes += 1
            sentences += len(ct.split_sentences(item["note"]))
            for f in grounding.check_note({"note": item["note"]}, parse_transcript(item["dialogue"])):
                flagged.append({"id": item["encounter_id"], "kind": f.kind, "sentence": f.sentence,
                                "reason": f.reason})
    kinds = collections.Counter(f["kind"] for f in flagged)
    return {"data": "aci-bench train+valid reference notes", "notes": notes, "sentences": sentences,
            "flags": len(flagged), "flagged_sentences": len({(f["id"], f["sentence"]) for f in flagged}),
            "by_kind": dict(kinds.most_common()), "seconds": round(time.perf_counter() - t0, 1),
            "items": flagged}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true", help="print every flagged sentence")
    args = ap.parse_args()
    res = run()
    if args.list:
        for f in res["items"]:
            print(f"{f['id']} {f['kind']:<22} {f['sentence'][:100]} | {f['reason']}")
    print(f"{res['flags']} flags on {res['flagged_sentences']} of {res['sentences']} sentences "
          f"({res['notes']} notes): " + ", ".join(f"{k} {n}" for k, n in res["by_kind"].items()))
    RESULTS.write_text(json.dumps(res, indent=1))
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
