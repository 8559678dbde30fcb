"""Scores the demo models with the app's own evaluation (`npm run raft -- eval`) and writes the table the
README shows: base, sft and raft, closed book and with the oracle among k = 5 retrieved documents plus 0, 2
or 4 extra distractors, each figure with its 95 % bootstrap interval, and raft minus sft paired over questions.

    node_modules/.cache/raft-recipe-venv/bin/python recipes/demo/evaluate_demo_models.py   # minutes: 49 s for sft and raft in one condition, 2 cores

Writes recipes/demo/results/{forced-k5,base}/ (per-question and summary CSVs, the HTML report) and
recipes/demo/results/table.md. Needs only Node: the Python here is a runner and formatter.
"""

import argparse
import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
METRICS = (("f1", "answer F1"), ("citation", "cites the oracle"), ("fidelity", "quote fidelity"), ("format", "format"))


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models", default="public/models/demo", help="folder holding base/, sft/ and raft/")
    p.add_argument("--out", default="recipes/demo/results")
    p.add_argument("--distractors", default="0,2,4")
    p.add_argument("--dtype", default="q8", help="weights the app loads (the demo ships q8 and fp32)")
    p.add_argument("--skip-base", action="store_true", help="leave the base model out (it was never taught the format)")
    return p.parse_args()


def evaluate(models: list[Path], out: Path, distractors: str, dtype: str) -> dict:
    cmd = ["npm", "run", "--silent", "raft", "--", "eval", "--docs", "public/sample-wiki", "--questions", "public/sample-wiki/questions.jsonl",
           *[a for m in models for a in ("--model", str(m))], "--k", "5", "--oracle", "forced", "--missing-answer", "zero", "--dtype", dtype,
           "--distractors", distractors, "--closed-book", "--out", str(out)]
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    result = json.loads((out / "evaluation.json").read_text())
    (out / "evaluation.json").unlink()  # 3 MB of records the CSVs and the report already hold: not worth committing
    return {**result["summary"], "questions": len(result["questions"])}


def cell(m: dict) -> str:
    if m["mean"] is None:
        return "–"  # no reply held a quote
    return f"{m['mean']:.2f} [{m['low']:.2f}, {m['high']:.2f}]"


def condition(arm: dict) -> str:
    return "closed book" if not arm["retrieval"] else f"oracle + {arm['meanDistractors']:g} distractors"


def table(runs: list[tuple[dict, list[str]]]) -> str:
    """One row per model and condition; `names` maps each run's roles (base, tuned) to model names."""
    lines = ["| model | condition | " + " | ".join(label for _, label in METRICS) + " |", "| --- | --- |" + " --- |" * len(METRICS)]
    for result, names in runs:
        for arm in result["arms"]:
            name = names[0] if arm["role"] == "base" else names[1]
            lines.append(f"| {name} | {condition(arm)} | " + " | ".join(cell(arm["metrics"][key]) for key, _ in METRICS) + " |")
    return "\n".join(lines)


def differences(result: dict) -> str:
    arms = {a["armId"]: a for a in result["arms"]}
    lines = ["| condition (raft − sft, paired) | " + " | ".join(label for _, label in METRICS) + " |", "| --- |" + " --- |" * len(METRICS)]
    for c in result["comparisons"]:
        lines.append(f"| {condition(arms[c['armId']])} | " + " | ".join(cell(c["metrics"][key]) for key, _ in METRICS) + " |")
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    models, out = ROOT / args.models, ROOT / args.out
    pair = evaluate([models / "sft", models / "raft"], out / "forced-k5", args.distractors, args.dtype)
    runs = [(pair, ["sft", "raft"])]
    if not args.skip_base:
        runs.insert(0, (evaluate([models / "base"], out / "base", args.distractors, args.dtype), ["base", "base"]))
    text = f"{pair['questions']} test questions of the sample wiki, {args.dtype} weights, greedy, lexical retrieval with the oracle forced in.\n\n{table(runs)}\n\n{differences(pair)}\n"
    (out / "table.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
