"""Trains the demo models (base, sft, raft) from the sample wiki alone, on a CPU, and exports them for the app.

    node_modules/.cache/raft-recipe-venv/bin/python recipes/demo/train_demo_models.py   # --help for the sizes; see recipes/README.md section 8

1. Data: the app's chunks (dump_chunks.ts), their sentences minus every sentence a test question quotes,
   templated questions about them (a held-out slice is the validation set), and the app's own exports of them
   (`raft build`): raft = 4 distractors, P = 0.8, chain-of-thought quoting the oracle; sft = the oracle only.
2. Base: a tiny Llama (tied embeddings) with its own BPE (make_tiny_base.py's) trained from scratch: repeat
   drills first (demo_data.RepeatDrills: passages of random tokens, random wiki words and wiki sentences, then
   one of them again), then reading: the articles (language modelling), "Repeat the sentence that mentions
   X, Y" tasks over 1-4 chunks answered by that sentence verbatim, and drills kept in the mix.
3. sft and raft: the base fully fine-tuned on each export, the same number of training tokens for both.
4. export_onnx.py --quantize for each, into public/models/demo/{base,sft,raft}, and training-record.json.
Needs torch and transformers (recipes/setup_venv.sh) and Node (npm ci) for the app's chunker and CLI.
"""

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

try:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
except ImportError as error:  # the recipe's venv is optional for the app
    raise SystemExit(f"{error}: run with the recipe's venv (bash recipes/setup_venv.sh, then node_modules/.cache/raft-recipe-venv/bin/python).")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import demo_data as data  # noqa: E402
import demo_train as tr  # noqa: E402


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--docs", default="public/sample-wiki")
    p.add_argument("--questions", default="public/sample-wiki/questions.jsonl", help="the wiki's questions: test ones are kept out")
    p.add_argument("--out", default="public/models/demo")
    p.add_argument("--work", default="/tmp/raft-demo-work", help="scratch folder (data, Hugging Face checkpoints)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--vocab-size", type=int, default=2048)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--rope-theta", type=float, default=10000.0, help="RoPE base: larger keeps more of each head's dimensions position-free for matching content far back")
    p.add_argument("--quote-words", default="0", help="shortest,longest words of a templated question's quote and answer (the span around the words it names, e.g. 6,12); 0: the whole sentence")
    p.add_argument("--held-out", type=int, default=60, help="sentences kept for validation (never trained on)")
    p.add_argument("--copy-steps", type=int, default=2400, help="steps of repeat drills, 4,096 tokens each (8 rows of 512, or 2 of 2,048 once up to 40 passages run together)")
    p.add_argument("--drill-real", type=float, default=0.25, help="share of drill passages that are wiki sentences (train split)")
    p.add_argument("--drill-perturbed", type=float, default=0.0, help="share of drill passages that are wiki sentences with 1-3 tokens swapped (copy must beat the prior)")
    p.add_argument("--drill-scrambled", type=float, default=0.35, help="share of drill passages that are random wiki words")
    p.add_argument("--drill-widths", default="64,all,all,all", help="vocabulary window of random-token passages, in turn ('all': the whole vocabulary)")
    p.add_argument("--drill-groups", default="1,4,4,40", help="most drill passages run together before one is repeated, in turn over the steps (40: the repeat up to ~2,000 tokens away)")
    p.add_argument("--lm-epochs", type=int, default=2, help="passes of language modelling over the articles while reading")
    p.add_argument("--copy-short", type=int, default=1500, help="reading: copy tasks of 1-3 short scrambled passages")
    p.add_argument("--copy-long", type=int, default=400, help="reading: copy tasks with 1-4 whole chunks")
    p.add_argument("--read-drills", type=int, default=1000, help="reading: repeat drills kept in the mix, in rows of 512 tokens' worth")
    p.add_argument("--read-lr", type=float, default=1e-3)
    p.add_argument("--raft-epochs", type=float, default=8.0, help="passes over the raft export; sft gets the same tokens")
    p.add_argument("--batch-tokens", type=int, default=4096)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--ft-lr", type=float, default=1e-3)
    p.add_argument("--checks", type=int, default=10, help="validation prompts per greedy check")
    p.add_argument("--reuse-base", action="store_true", help="fine-tune the base already in --work (skip pretraining)")
    p.add_argument("--no-export", action="store_true")
    p.add_argument("--only-drills", action="store_true", help="stop after the drills (an experiment on copying; nothing is saved)")
    return p.parse_args()


def cli_build(docs: str, questions: Path, out: Path, distractors: int, p_oracle: float, seed: int) -> None:
    cmd = ["npm", "run", "--silent", "raft", "--", "build", "--docs", docs, "--questions", str(questions), "--format", "chat",
           "--distractors", str(distractors), "--p-oracle", str(p_oracle), "--seed", str(seed), "--out", str(out)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def chats(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def encode_all(tokenizer, examples: list[dict], max_len: int) -> list:
    items = [tr.encode_chat(tokenizer, e, max_len) for e in examples]
    return [i for i in items if i is not None]


def validation_cases(test_chats: list[dict], val_rows: list[dict], limit: int) -> list:
    """(prompt, oracle text, target) for validation prompts that hold their oracle."""
    by_question = {r["question"]: r for r in val_rows}
    cases = []
    for chat in test_chats:
        user = chat["messages"][1]["content"]
        row = by_question.get(user.rsplit("</DOCUMENT>\n", 1)[-1].strip())
        if row and row["oracle"] in user:
            cases.append((chat["messages"][:-1], row["oracle"], row["quote"]))
    return cases[:limit]


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    work, out = Path(args.work), Path(args.out)
    work.mkdir(parents=True, exist_ok=True)
    record: dict = {"seed": args.seed, "threads": args.threads, "loadavg_at_start": list(os.getloadavg()), "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "timings": {}}
    clock = time.time()

    def phase(name: str) -> None:
        nonlocal clock
        record["timings"][name] = round(time.time() - clock, 1)
        print(f"== {name}: {record['timings'][name]:.0f}s", flush=True)
        clock = time.time()

    # 1. Data, with the test questions and their quotes kept out.
    chunks = data.dump_chunks(Path(args.docs), work / "chunks.jsonl")
    test, wiki_train, has_split = data.read_questions(Path(args.questions))
    pool, refused = data.make_sentence_pool(chunks, [q["quote"] for q in test if q.get("quote")])
    random.Random(args.seed).shuffle(pool)
    val_pool, train_pool = pool[: args.held_out], pool[args.held_out :]
    quote_words = None if args.quote_words == "0" else tuple(int(n) for n in args.quote_words.split(","))
    train_rows, val_rows = data.write_train_questions(train_pool, val_pool, wiki_train, args.seed, work / "train-questions.jsonl", quote_words)
    cli_build(args.docs, work / "train-questions.jsonl", work / "raft", 4, 0.8, args.seed)
    cli_build(args.docs, work / "train-questions.jsonl", work / "sft", 0, 1.0, args.seed)
    data.assert_no_test_overlap([work / "raft" / "train.jsonl", work / "sft" / "train.jsonl"], test)
    record["data"] = {"questions_sha256": hashlib.sha256(Path(args.questions).read_bytes()).hexdigest(), "chunks": len(chunks), "test_questions_kept_out": len(test), "wiki_has_split": has_split,
                      "wiki_train_questions": len(wiki_train), "sentences": len(pool), "sentences_refused_as_test_quotes": refused,
                      "train_questions": len(train_rows), "validation_questions": len(val_rows), "quote_words": args.quote_words,
                      "mean_train_quote_words": round(sum(len(r["quote"].split()) for r in train_rows) / max(1, len(train_rows)), 1)}
    print(json.dumps(record["data"]), flush=True)
    phase("data")

    # 2. Tokenizer and base model.
    base_dir = work / "base"
    tokenizer = tr.build_tokenizer(Path(args.docs), args.vocab_size, work / "tokenizer")
    rng = random.Random(args.seed)
    copy_val = [data.copy_task(t, rng.sample(chunks, 3), rng) for t in val_pool[: args.checks]]
    copy_cases = [(c["messages"][:-1], "", c["messages"][-1]["content"].split("##")[2]) for c in copy_val]
    if args.reuse_base:
        model = AutoModelForCausalLM.from_pretrained(base_dir, attn_implementation="eager")
        saved = work / "base-record.json"
        record["base"] = json.loads(saved.read_text()) if saved.exists() else {"reused": str(base_dir)}
    else:
        model = tr.build_model(tokenizer, args.hidden, args.layers, args.heads, tie=True, rope_theta=args.rope_theta)
        test_quotes = [q["quote"] for q in test if q.get("quote")]
        lm_texts = [c["text"] for c in chunks]
        for quote in test_quotes:  # the articles minus the test quotes
            lm_texts = [t.replace(quote, "") for t in lm_texts]
        lm_items = [tr.encode_text(tokenizer, t, 512) for t in lm_texts]
        record["base"] = {"parameters": sum(p.numel() for p in model.parameters()), "stages": []}
        encode = lambda text: tokenizer(text, add_special_tokens=False)["input_ids"]  # noqa: E731
        open_q, close_q, vocab = encode("##begin_quote##"), encode("##end_quote##"), len(tokenizer)
        held = [encode(p["sentence"]) for p in val_pool[:30]]
        held_far = [encode(p["sentence"]) for p in val_pool[:60]]  # 60 run together: the last ~1,100 tokens after the first
        widths = [vocab - 3 if w == "all" else int(w) for w in args.drill_widths.split(",")]
        words = [encode(" " + w) for p in train_pool for w in p["sentence"].split()]
        drills = data.RepeatDrills(vocab, 3, open_q, close_q, widths, args.copy_steps, 48, args.drill_real,
                                   [encode(p["sentence"]) for p in train_pool], random.Random(args.seed), model.config.bos_token_id,
                                   args.drill_scrambled, words, [int(g) for g in args.drill_groups.split(",")], args.drill_perturbed)

        def copy_check() -> dict:
            return {"heldout_tokens": tr.copy_accuracy(model, held, open_q), "heldout_among5": tr.copy_accuracy(model, held, open_q, 5),
                    "heldout_among60": tr.copy_accuracy(model, held_far, open_q, 60), "heldout_exact": tr.exact_copies(model, held, open_q),
                    "heldout_exact_among60": tr.exact_copies(model, held_far, open_q, 60)}

        # a. Repeat drills: the induction head, on random tokens (cannot be memorised) and some wiki sentences.
        model.config._attn_implementation = "sdpa"  # the same attention, faster on rows of 2,048 tokens
        stage = tr.train_steps(model, lambda step: drills.rows(step, 4096), steps=args.copy_steps, lr=args.lr,
                               name="base drills", check=copy_check, every=250)
        record["base"]["stages"].append({"name": "drills", **stage})
        if args.only_drills:
            print(json.dumps(stage["checks"]), flush=True)
            return
        # b. Reading: the articles, cue-finding copy tasks in the app's layout, and drills so copying is kept.
        tasks = data.short_copy_tasks(train_pool, args.copy_short, rng) + data.copy_tasks(train_pool, chunks, args.copy_long, 4, rng)
        keep = drills.rows(args.copy_steps, 512 * args.read_drills)
        stage = tr.train(model, encode_all(tokenizer, tasks, 1400) + lm_items * args.lm_epochs + keep, epochs=1,
                         batch_tokens=args.batch_tokens, lr=args.read_lr, seed=args.seed, name="base reading")
        stage["copy_heldout"] = {**copy_check(), **tr.quote_scores(model, tokenizer, copy_cases, 80)}
        print(f"[base reading] held-out copy: {stage['copy_heldout']}", flush=True)
        record["base"]["stages"].append({"name": "reading", "tasks": len(tasks), **stage})
        model.save_pretrained(base_dir)
        tr.save_tokenizer(tokenizer, base_dir)
        (work / "base-record.json").write_text(json.dumps(record["base"]))
    phase("base")

    # 3. sft and raft from the same base, the same number of training tokens.
    raft_items = encode_all(tokenizer, chats(work / "raft" / "train.jsonl"), 1536)
    sft_items = encode_all(tokenizer, chats(work / "sft" / "train.jsonl"), 1536)
    raft_tokens = sum(len(i[0]) for i in raft_items) * args.raft_epochs
    sft_epochs = raft_tokens / sum(len(i[0]) for i in sft_items)
    cases = validation_cases(chats(work / "raft" / "test.jsonl"), val_rows, args.checks)
    for name, items, epochs in (("raft", raft_items, args.raft_epochs), ("sft", sft_items, sft_epochs)):
        tuned = AutoModelForCausalLM.from_pretrained(base_dir, attn_implementation="eager")
        stats = tr.train(tuned, items, epochs=epochs, batch_tokens=args.batch_tokens, lr=args.ft_lr, seed=args.seed, name=name)
        stats["validation"] = tr.quote_scores(tuned, tokenizer, cases, 128)
        print(f"[{name}] validation (4 distractors, held-out templated questions): {stats['validation']}", flush=True)
        record[name] = {"examples": len(items), "epochs": round(epochs, 2), **stats}
        tuned.save_pretrained(work / name)
        tr.save_tokenizer(tokenizer, work / name)
        phase(name)

    # 4. Export to the transformers.js layout, fp32 and q8.
    if not args.no_export:
        for name in ("base", "sft", "raft"):
            subprocess.run([sys.executable, str(HERE.parent / "export_onnx.py"), "--model", str(work / name), "--out", str(out / name), "--quantize"], check=True)
        phase("export")
    record["model"] = {"architecture": "Llama", "hidden": args.hidden, "layers": args.layers, "heads": args.heads, "rope_theta": args.rope_theta, "vocab": len(tokenizer)}
    record["load"] = {"cpus": torch.get_num_threads(), "loadavg_at_end": list(os.getloadavg())}
    record["total_seconds"] = round(sum(record["timings"].values()), 1)
    out.mkdir(parents=True, exist_ok=True)
    (out / "training-record.json").write_text(json.dumps(record, indent=2) + "\n")
    print(f"done in {record['total_seconds'] / 60:.1f} min; record: {out / 'training-record.json'}")


if __name__ == "__main__":
    main()
