"""Copy probe: can a tiny Llama learn to repeat a passage verbatim (an induction head)? A quick experiment
harness for the demo base, separate from train_demo_models.py, which prints its figures as it trains.

    node_modules/.cache/raft-recipe-venv/bin/python recipes/demo/copy_probe.py --steps 3000 --widths 64,64,128,256,512,2045

Each training row packs units of demo_data.RepeatDrills: up to --groups passages run together, ##begin_quote##,
one of them repeated, ##end_quote##, loss on the repeat only. Passages are random tokens from a random window
of the vocabulary whose width follows --widths (equal shares of the steps); --real and --scrambled add those
shares of the wiki's own sentences and of random wiki words (train split). Checks report teacher-forced copy
accuracy on random tokens of three widths and on held-out wiki sentences, alone and as the last of five run
together, plus exact greedy copies of those sentences. See recipes/README.md section 8 for what was measured with it.
"""

import argparse
import json
import random
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import demo_data as data  # noqa: E402
import demo_train as tr  # noqa: E402


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--docs", default="public/sample-wiki")
    p.add_argument("--work", default="/tmp/raft-demo-work/probe")
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--widths", default="64,64,128,256,512,2045", help="vocabulary window widths, in turn")
    p.add_argument("--real", type=float, default=0.0, help="share of passages that are wiki sentences")
    p.add_argument("--vocab", type=int, default=2048, help="BPE vocabulary size")
    p.add_argument("--tie", action="store_true", help="tie the input and output embeddings")
    p.add_argument("--scrambled", type=float, default=0.0, help="share of passages that are random wiki words")
    p.add_argument("--groups", default="1", help="most passages run together before the repeat of one of them, in turn")
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--rows", type=int, default=16, help="rows per batch")
    p.add_argument("--row-tokens", type=int, default=256)
    p.add_argument("--max-passage", type=int, default=24)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--every", type=int, default=250)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    chunks = data.dump_chunks(Path(args.docs), work / "chunks.jsonl")
    tok = tr.build_tokenizer(Path(args.docs), args.vocab, work / "tokenizer")
    pool, _ = data.make_sentence_pool(chunks, [])
    random.Random(1).shuffle(pool)
    encode = lambda s: tok(s, add_special_tokens=False)["input_ids"]  # noqa: E731
    held, train_sentences = [encode(p["sentence"]) for p in pool[:40]], [encode(p["sentence"]) for p in pool[40:]]
    words = [encode(" " + w) for p in pool[40:] for w in p["sentence"].split()]
    vocab, first = len(tok), 3  # the three special tokens are never passage tokens
    open_q, close_q = encode("##begin_quote##"), encode("##end_quote##")
    widths = [int(w) for w in args.widths.split(",")]
    model = tr.build_model(tok, args.hidden, args.layers, args.heads, tie=args.tie)
    model.config._attn_implementation = "sdpa"
    print(f"parameters {sum(p.numel() for p in model.parameters()):,}", flush=True)
    drills = data.RepeatDrills(vocab, first, open_q, close_q, widths, args.steps, args.max_passage, args.real, train_sentences, random.Random(args.seed + 2),
                                 model.config.bos_token_id, args.scrambled, words, [int(g) for g in args.groups.split(",")])

    def check() -> dict:
        probe = random.Random(9)
        figures = {f"random{w}": tr.copy_accuracy(model, [[probe.randrange(lo, lo + w) for _ in range(20)] for _ in range(20)], open_q)
                   for w, lo in ((64, min(700, vocab - 64)), (256, min(300, vocab - 256)), (vocab - first, first))}
        figures["wiki_heldout"] = tr.copy_accuracy(model, held[:30], open_q)
        figures["wiki_among5"] = tr.copy_accuracy(model, held[:30], open_q, 5)
        figures["wiki_heldout_exact"] = tr.exact_copies(model, held[:30], open_q)
        return figures

    stats = tr.train_steps(model, lambda step: [drills.row(step, args.row_tokens) for _ in range(args.rows)], steps=args.steps, lr=args.lr,
                           name="probe", check=check, every=args.every)
    model.save_pretrained(work / "model")
    (work / "probe-record.json").write_text(json.dumps({"args": vars(args), "checks": stats["checks"]}, indent=2) + "\n")


if __name__ == "__main__":
    main()
