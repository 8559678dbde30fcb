"""Copy probe: can a tiny Llama learn to repeat a passage verbatim (an induction head)? A quick experiment
harness for the demo base, separate from train_demo_models.py, which prints its figures as it trains.

    node_modules/.cache/raft-recipe-venv/bin/python recipes/demo/copy_probe.py --steps 3000 --widths 64,64,128,256,512,2045

Each training row packs "passage ##begin_quote## passage ##end_quote##" units, loss on the repeat only.
Passages are random tokens from a random window of the vocabulary whose width follows --widths (equal
shares of the steps); --real adds that share of the wiki's own sentences (train split). Checks report
teacher-forced copy accuracy on random tokens of three widths and on held-out wiki sentences, plus exact
greedy copies of those sentences. See recipes/README.md section 8 for what was measured with it.
"""

import argparse
import json
import math
import random
import sys
import time
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
    tok = tr.build_tokenizer(Path(args.docs), 2048, work / "tokenizer")
    pool, _ = data.make_sentence_pool(chunks, [])
    random.Random(1).shuffle(pool)
    encode = lambda s: tok(s, add_special_tokens=False)["input_ids"]  # noqa: E731
    held, train_sentences = [encode(p["sentence"]) for p in pool[:40]], [encode(p["sentence"]) for p in pool[40:]]
    vocab, first = len(tok), 3  # the three special tokens are never passage tokens
    open_q, close_q = encode("##begin_quote##"), encode("##end_quote##")
    widths = [int(w) for w in args.widths.split(",")]
    model = tr.build_model(tok, args.hidden, args.layers, args.heads)
    model.config._attn_implementation = "sdpa"
    print(f"parameters {sum(p.numel() for p in model.parameters()):,}", flush=True)
    rng = random.Random(args.seed + 2)

    def passage(step: int) -> list[int]:
        if rng.random() < args.real:
            return rng.choice(train_sentences)
        width = min(widths[min(len(widths) - 1, (step - 1) * len(widths) // args.steps)], vocab - first)
        low = rng.randrange(first, vocab - width + 1)
        return [rng.randrange(low, low + width) for _ in range(rng.randint(args.max_passage // 2, args.max_passage))]

    def row(step: int) -> tuple[list[int], list[int]]:
        ids, labels = [], []
        while len(ids) < args.row_tokens:
            p = passage(step)
            ids += p + open_q + p + close_q
            labels += [-100] * (len(p) + len(open_q)) + p + close_q
        return ids[: args.row_tokens], labels[: args.row_tokens]

    @torch.no_grad()
    def copy_accuracy(passages: list[list[int]]) -> float:
        right = total = 0
        for p in passages:
            prompt = [model.config.bos_token_id] + p + open_q
            predicted = model(input_ids=torch.tensor([prompt + p])).logits[0, len(prompt) - 1 : -1].argmax(-1).tolist()
            right += sum(a == b for a, b in zip(predicted, p))
            total += len(p)
        return round(right / total, 3)

    @torch.no_grad()
    def check() -> dict:
        model.eval()
        probe = random.Random(9)
        figures = {f"random{w}": copy_accuracy([[probe.randrange(lo, lo + w) for _ in range(20)] for _ in range(20)])
                   for w, lo in ((64, 700), (256, 300), (vocab - first, first))}
        figures["wiki_heldout"] = copy_accuracy(held[:30])
        exact = 0
        for p in held[:30]:
            prompt = torch.tensor([[model.config.bos_token_id] + p + open_q])
            out = model.generate(prompt, max_new_tokens=len(p), do_sample=False, pad_token_id=model.config.pad_token_id)
            exact += out[0, prompt.shape[1] :].tolist() == p
        figures["wiki_heldout_exact"] = round(exact / 30, 3)
        model.train()
        return figures

    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / 50, 0.5 * (1 + math.cos(math.pi * min(1.0, s / args.steps)))))
    start, recent, record = time.time(), [], []
    model.train()
    for step in range(1, args.steps + 1):
        rows = [row(step) for _ in range(args.rows)]
        loss = model(input_ids=torch.tensor([r[0] for r in rows]), labels=torch.tensor([r[1] for r in rows])).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step(), sched.step(), opt.zero_grad()
        recent.append(loss.item())
        if step % 50 == 0:
            print(f"step {step} loss {sum(recent) / len(recent):.3f} {time.time() - start:.0f}s", flush=True)
            recent = []
        if step % args.every == 0 or step == args.steps:
            figures = {"step": step, "seconds": round(time.time() - start), **check()}
            record.append(figures)
            print("check", json.dumps(figures), flush=True)
    model.save_pretrained(work / "model")
    (work / "probe-record.json").write_text(json.dumps({"args": vars(args), "checks": record}, indent=2) + "\n")


if __name__ == "__main__":
    main()
