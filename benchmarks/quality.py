"""Draft quality on public clinical data, scored the way the ACI-Bench paper does.

ACI-Bench (../shared/eval/aci-bench): draft a `medical` note for each dialogue
of a split with the chosen model, then ROUGE-1/2/Lsum F-measure per note with
Porter stemming (package rouge-score), sentences on separate lines, averaged
over notes, x100. Published test-set numbers to compare with are in
../shared/eval/README.md (best: 53.46 / 25.08 / 48.62).

    .venv/bin/python benchmarks/quality.py [--split valid] [--limit N] [--model ID]
    .venv/bin/python benchmarks/quality.py --only aci --split train \
        --ids D2N002,D2N003,D2N024,D2N025,D2N040,D2N041,D2N060,D2N061 --out /tmp/held.json

Prints a table and writes benchmarks/results/quality.json (per-item scores too;
--out writes elsewhere, so an experiment does not overwrite the recorded run).
The ACI drafts are kept for reading in benchmarks/.cache/aci_drafts (git-ignored).
Only the train and valid splits are read: the targets are measured on other
items, so nothing here is tuned on a test set.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import soapdesk.core  # noqa: E402,F401
from soapdesk.core.pipeline import Pipeline  # noqa: E402
from soapdesk.core.settings import Settings  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
RESULTS = ROOT / "benchmarks" / "results" / "quality.json"
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


def sentences_per_line(text: str) -> str:
    """One sentence per line, as rougeLsum expects."""
    out = []
    for line in text.splitlines():
        out.extend(s.strip() for s in _SENT.split(line.strip()) if s.strip())
    return "\n".join(out)


def score(pred: str, ref: str) -> dict:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    s = scorer.score(sentences_per_line(ref), sentences_per_line(pred))
    return {k: round(v.fmeasure * 100, 2) for k, v in s.items()}


def aci_items(split: str) -> list[dict]:
    with (EVAL / "aci-bench" / f"{split}.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def run_aci(args, previous: dict | None = None, save=None) -> dict:
    """Drafts and scores each item; resumes a run of the same model and split
    (items already scored are kept), saving after every item."""
    settings = Settings(llm_model=args.model, threads=args.threads, llm_context=args.context,
                        section_max_tokens=args.max_tokens)
    pipeline = Pipeline(settings)
    items = aci_items(args.split)
    if args.ids:
        wanted = set(args.ids.split(","))
        items = [x for x in items if x["encounter_id"] in wanted]
    items = items[: args.limit or None]
    dataset = f"aci-bench/{args.split}" + (f" [{args.ids}]" if args.ids else "")
    fingerprint = drafting_fingerprint()
    same = previous and previous.get("dataset") == dataset and previous.get("model") == args.model and previous.get(
        "drafting_fingerprint") == fingerprint
    per_item = [x for x in (previous or {}).get("items", []) if same]
    done = {x["id"] for x in per_item}
    result = {"dataset": dataset, "template": "medical", "model": args.model, "drafting_fingerprint": fingerprint}
    for i, item in enumerate(items, 1):
        if item["encounter_id"] in done:
            continue
        t0 = time.perf_counter()
        note = pipeline.note_from_text(item["dialogue"], "medical")
        pred = note.to_plain_text(with_label=False)
        s = score(pred, item["note"])
        # The drafts themselves, for reading (git-ignored; train and valid items only, never a test split).
        drafts = ROOT / "benchmarks" / ".cache" / "aci_drafts"
        drafts.mkdir(parents=True, exist_ok=True)
        (drafts / f"{item['encounter_id']}.txt").write_text(pred)
        s.update(id=item["encounter_id"], dataset=item["dataset"], seconds=round(time.perf_counter() - t0, 1),
                 warnings=len(note.warnings))
        per_item.append(s)
        print(f"[{i}/{len(items)}] {item['encounter_id']:<12} R1 {s['rouge1']:5.1f}  R2 {s['rouge2']:5.1f}  "
              f"RLsum {s['rougeLsum']:5.1f}  {s['seconds']:5.0f}s", flush=True)
        result.update(_summary(per_item))
        if save:
            save(result)
    result.update(_summary(per_item))
    return result


def drafting_fingerprint() -> str:
    """Hash of the code and text that decide what the model is asked and what
    is added afterwards: a resumed run only keeps items drafted the same way."""
    import hashlib

    # Every core module: the post-drafting rewrites (history opening, chief complaint, ...) change
    # the note as much as the prompts do, and a list of names went stale when one was added.
    files = sorted((ROOT / "soapdesk" / "core").glob("*.py"))
    files += sorted((ROOT / "soapdesk" / "templates").glob("*.toml"))
    h = hashlib.sha256()
    for f in files:
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def _summary(per_item: list[dict]) -> dict:
    mean = {k: round(statistics.mean(x[k] for x in per_item), 2) for k in ("rouge1", "rouge2", "rougeLsum")}
    return {"n": len(per_item), "mean": mean, "items": sorted(per_item, key=lambda x: x["id"])}


THERAPY_TEMPLATE = {"soap": "soap", "dap": "dap", "birp": "birp", "pt_daily": "pt_daily", "slp_daily": "slp_daily"}


def run_therapy(args) -> dict:
    """The synthetic therapy sessions: draft with the session's own format, then
    score with benchmarks/therapy_eval.py against the answer key."""
    import therapy_eval as te

    settings = Settings(llm_model=args.model, threads=args.threads, llm_context=args.context,
                        section_max_tokens=args.max_tokens)
    pipeline = Pipeline(settings)
    items = []
    for key_path in sorted(te.therapy_dir().glob("*.json")):
        key, transcript = te.load_session(key_path.stem)
        template = THERAPY_TEMPLATE.get(key.get("format_hint"), "soap")
        t0 = time.perf_counter()
        note = pipeline.draft(transcript, template, billing=True, minutes=key.get("duration_minutes"))
        s = te.score_note(note, key, transcript)
        row = {"id": key_path.stem, "template": template, "seconds": round(time.perf_counter() - t0, 1),
               "review_s": round(note.timings.get("review_s", 0), 2), "draft_s": round(note.timings["draft_s"], 1),
               "fact_recall": s["fact_recall"]["recall"], "traps": s["traps"], "risk_match": s["risk"]["match"],
               "risk_screen_ok": s["risk_screen_ok"], "medication_accuracy": s["medications"]["accuracy"],
               "invented_unflagged": s["medications"].get("invented", []),
               "measure_accuracy": s["measures"]["accuracy"], "cpt_ok": s["billing"]["cpt_ok"],
               "icd_ok": s["billing"]["icd_ok"], "unsupported": s["unsupported"]["unsupported"],
               "sentences": s["unsupported"]["sentences"], "flags": len(s["grounding_flags"]),
               "missing_facts": s["fact_recall"]["missing"]}
        items.append(row)
        # The synthetic drafts themselves, for reading what the model left out (not results: git-ignored).
        drafts = ROOT / "benchmarks" / ".cache" / "therapy_drafts"
        drafts.mkdir(parents=True, exist_ok=True)
        (drafts / f"{row['id']}.txt").write_text(
            "\n\n".join(f"{sec.title}\n{sec.text}" for sec in note.sections) + "\n")
        print(f"{row['id']:<22} recall {row['fact_recall']:.2f}  risk {'ok' if row['risk_screen_ok'] else 'WRONG'}  "
              f"note's risk wording {'ok' if row['risk_match'] else 'WRONG'}  "
              f"cpt {'ok' if row['cpt_ok'] else 'WRONG'}  icd {'ok' if row['icd_ok'] else 'WRONG'}  "
              f"unsupported {row['unsupported']}/{row['sentences']}  flags {row['flags']}  traps {len(row['traps'])}",
              flush=True)
    return {"dataset": "therapy (synthetic dev sessions)", "model": args.model, "n": len(items),
            "mean_fact_recall": round(statistics.mean(i["fact_recall"] for i in items), 3),
            "risk_screen_correct": sum(i["risk_screen_ok"] for i in items),
            # the draft's own risk sentences agree with the screen (the flags catch those that do not)
            "risk_note_correct": sum(i["risk_match"] for i in items),
            "cpt_correct": sum(i["cpt_ok"] for i in items), "icd_correct": sum(i["icd_ok"] for i in items),
            "review_share_of_draft": round(sum(i["review_s"] for i in items) / sum(i["draft_s"] for i in items), 4),
            "items": items}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="valid", choices=["valid", "train"])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--model", default=Settings().llm_model)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--context", type=int, default=8192)
    ap.add_argument("--max-tokens", type=int, default=320)
    ap.add_argument("--only", choices=["aci", "therapy"])
    ap.add_argument("--ids", default="", help="only these encounter ids, comma-separated (e.g. "
                    "D2N002,D2N003,D2N024,D2N025,D2N040,D2N041,D2N060,D2N061: the train items kept out of tuning)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="results file (resumed when it holds the same run)")
    args = ap.parse_args()
    results_path = args.out
    result = json.loads(results_path.read_text()) if results_path.exists() else {}
    if args.only != "aci":
        result["therapy"] = run_therapy(args)
    if args.only == "therapy":
        results_path.write_text(json.dumps(result, indent=1) + "\n")
        return 0
    stamp = {"command": "python " + " ".join(sys.argv), "measured_at": time.strftime("%Y-%m-%d %H:%M")}

    def save(aci: dict) -> None:
        results_path.write_text(json.dumps({**result, **aci, **stamp}, indent=1) + "\n")

    result.update(run_aci(args, previous=result, save=save))
    result.update(stamp)
    m = result["mean"]
    print(f"\n{'dataset':<20} {'n':>3} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-Lsum':>10}")
    print(f"{result['dataset']:<20} {result['n']:>3} {m['rouge1']:>8} {m['rouge2']:>8} {m['rougeLsum']:>10}")
    print(f"{'best published (test1)':<20} {'':>3} {53.46:>8} {25.08:>8} {48.62:>10}")
    results_path.parent.mkdir(parents=True, exist_ok=True)
    results_path.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
