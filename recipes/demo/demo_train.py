"""Tokenizer, model, batching, the training loop and the quick greedy checks of the demo models.

NOTE: our own loop rather than finetune.py's TRL SFTTrainer: the comparison needs sft and raft to see the same
number of training TOKENS (not steps), batches packed by a token budget and sorted by length (CPU time grows
with padding), and full fine-tuning of a model this small; the loss is on the completion only, as in
finetune.py (its to_prompt_completion splits each chat the same way).
"""

import math
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import torch
from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from make_tiny_base import save_tokenizer, train_tokenizer  # noqa: E402

from demo_data import SYSTEM  # noqa: E402

# Strings of the app's prompts and answers, fed to BPE so each becomes a few tokens, not dozens of bytes.
FORMAT_TEXT = f"{SYSTEM}\n<DOCUMENT> </DOCUMENT>\n##Reason: The document says ##begin_quote## ##end_quote## This answers the question directly. <ANSWER>: \n"


def build_tokenizer(docs: Path, vocab_size: int, out: Path) -> PreTrainedTokenizerFast:
    """make_tiny_base's byte-level BPE + ChatML, trained on the articles only (not on questions.jsonl)."""
    with tempfile.TemporaryDirectory() as scratch:
        for path in docs.rglob("*"):
            if path.suffix in {".md", ".txt"}:
                shutil.copy(path, Path(scratch) / f"{len(list(Path(scratch).iterdir()))}{path.suffix}")
        (Path(scratch) / "format.txt").write_text(FORMAT_TEXT * 200)
        tokenizer = PreTrainedTokenizerFast(tokenizer_object=train_tokenizer(Path(scratch), vocab_size), eos_token="<|im_end|>",
                                            pad_token="<|im_end|>", additional_special_tokens=["<|im_start|>", "<|im_end|>"], model_max_length=2048)
    save_tokenizer(tokenizer, out)
    return tokenizer


def build_model(tokenizer, hidden: int, layers: int, heads: int, tie: bool = False, rope_theta: float = 10000.0) -> LlamaForCausalLM:
    eos_id, bos_id = tokenizer.convert_tokens_to_ids("<|im_end|>"), tokenizer.convert_tokens_to_ids("<|endoftext|>")
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=hidden, intermediate_size=hidden * 3, num_hidden_layers=layers,
                         num_attention_heads=heads, num_key_value_heads=heads, head_dim=hidden // heads, max_position_embeddings=2048,
                         tie_word_embeddings=tie, rope_theta=rope_theta, bos_token_id=bos_id, eos_token_id=eos_id, pad_token_id=eos_id, attn_implementation="eager")
    model = LlamaForCausalLM(config)
    model.generation_config = GenerationConfig(bos_token_id=bos_id, eos_token_id=eos_id, pad_token_id=eos_id)
    return model


def encode_chat(tokenizer, example: dict, max_len: int) -> tuple[list[int], list[int]] | None:
    """(ids, labels): prompt = every message but the last, with the generation prompt; loss on the answer only."""
    messages = example["messages"]
    prompt = tokenizer.apply_chat_template(messages[:-1], tokenize=False, add_generation_prompt=True)
    p = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    c = tokenizer(messages[-1]["content"] + "<|im_end|>\n", add_special_tokens=False)["input_ids"]
    if len(p) + len(c) > max_len:
        return None
    return p + c, [-100] * len(p) + c


def encode_text(tokenizer, text: str, max_len: int) -> tuple[list[int], list[int]]:
    ids = [tokenizer.convert_tokens_to_ids("<|endoftext|>")] + tokenizer(text, add_special_tokens=False)["input_ids"][: max_len - 1]
    return ids, ids[:]


def batches(items: list[tuple[list[int], list[int]]], batch_tokens: int, rng: random.Random) -> list[list[int]]:
    """Index batches of similar length, each at most batch_tokens (padded), in a seeded random order."""
    order = sorted(range(len(items)), key=lambda i: (len(items[i][0]), rng.random()))
    out, current, longest = [], [], 0
    for i in order:
        n = len(items[i][0])
        if current and max(longest, n) * (len(current) + 1) > batch_tokens:
            out.append(current)
            current, longest = [], 0
        current.append(i)
        longest = max(longest, n)
    if current:
        out.append(current)
    rng.shuffle(out)
    return out


def collate(items, index: list[int], pad_id: int):
    n = max(len(items[i][0]) for i in index)
    ids = torch.full((len(index), n), pad_id)
    labels = torch.full((len(index), n), -100)
    mask = torch.zeros((len(index), n), dtype=torch.long)
    for row, i in enumerate(index):
        a, b = items[i]
        ids[row, : len(a)], labels[row, : len(b)], mask[row, : len(a)] = torch.tensor(a), torch.tensor(b), 1
    return ids, labels, mask


def optimiser(model, lr: float, steps: int, warm: int):
    """AdamW with a linear warm-up over `warm` steps, then a cosine decay to 0 at `steps`. Returns update(loss),
    which takes one step (gradients clipped to norm 1)."""
    opt = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.98), weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, 0.5 * (1 + math.cos(math.pi * min(1.0, s / steps)))))

    def update(loss) -> None:
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step(), sched.step(), opt.zero_grad()

    return update


def train(model, items, *, epochs: float, batch_tokens: int, lr: float, seed: int, name: str, log_every: int = 10) -> dict:
    """AdamW, linear warm-up then cosine; returns the losses and the tokens processed."""
    rng = random.Random(seed)
    torch.manual_seed(seed)
    plan = []
    for _ in range(math.ceil(epochs)):
        plan += batches(items, batch_tokens, rng)
    plan = plan[: max(1, round(len(plan) * epochs / math.ceil(epochs)))]
    update = optimiser(model, lr, len(plan), max(1, len(plan) // 20))
    model.train()
    pad = model.config.pad_token_id
    start, tokens, losses, recent = time.time(), 0, [], []
    for step, index in enumerate(plan, 1):
        ids, labels, mask = collate(items, index, pad)
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        update(loss)
        tokens += int(mask.sum())
        recent.append(loss.item())
        if step % log_every == 0 or step == len(plan):
            losses.append(round(sum(recent) / len(recent), 4))
            print(f"[{name}] step {step}/{len(plan)} loss {losses[-1]:.4f} tokens {tokens:,} {time.time() - start:.0f}s", flush=True)
            recent = []
    model.eval()
    return {"steps": len(plan), "tokens": tokens, "seconds": round(time.time() - start, 1), "losses": losses}


def train_steps(model, make_rows, *, steps: int, lr: float, name: str, check=None, every: int = 250, log_every: int = 50) -> dict:
    """A fixed number of steps on rows made fresh for each step (make_rows(step) -> [(ids, labels)], all one
    length); check() is called every `every` steps and its figures kept. Returns losses, tokens and checks."""
    update = optimiser(model, lr, steps, 50)
    start, recent, losses, checks, tokens = time.time(), [], [], [], 0
    model.train()
    for step in range(1, steps + 1):
        rows = make_rows(step)
        loss = model(input_ids=torch.tensor([r[0] for r in rows]), labels=torch.tensor([r[1] for r in rows])).loss
        update(loss)
        tokens += sum(len(r[0]) for r in rows)
        recent.append(loss.item())
        if step % log_every == 0 or step == steps:
            losses.append(round(sum(recent) / len(recent), 4))
            print(f"[{name}] step {step}/{steps} loss {losses[-1]:.4f} {time.time() - start:.0f}s", flush=True)
            recent = []
        if check and (step % every == 0 or step == steps):
            model.eval()
            checks.append({"step": step, "seconds": round(time.time() - start), **check()})
            print(f"[{name}] check {checks[-1]}", flush=True)
            model.train()
    model.eval()
    return {"steps": steps, "tokens": tokens, "seconds": round(time.time() - start, 1), "losses": losses, "checks": checks}


@torch.no_grad()
def copy_accuracy(model, passages: list[list[int]], open_q: list[int], among: int = 1) -> float:
    """Teacher-forced share of a passage's tokens predicted right when it is repeated after ##begin_quote##.
    With among > 1 the context holds that many passages (the next ones, cyclically) and the last is repeated;
    its first token, which only says which passage, is not counted."""
    right = total = 0
    for i, p in enumerate(passages):
        context = [t for j in range(among - 1, 0, -1) for t in passages[(i + j) % len(passages)]] + p
        prompt = [model.config.bos_token_id] + context + open_q
        predicted = model(input_ids=torch.tensor([prompt + p])).logits[0, len(prompt) - 1 : -1].argmax(-1).tolist()
        skip = 1 if among > 1 else 0
        right += sum(a == b for a, b in zip(predicted[skip:], p[skip:]))
        total += len(p) - skip
    return round(right / total, 3)


@torch.no_grad()
def exact_copies(model, passages: list[list[int]], open_q: list[int], among: int = 1) -> float:
    """Share of passages repeated exactly by greedy decoding after ##begin_quote## and their first token (which
    says which passage: the drills never label it, the reading tasks and the question teach it); with among > 1
    the passage is the last of that many run together, as in copy_accuracy."""
    exact = 0
    for i, p in enumerate(passages):
        context = [t for j in range(among - 1, 0, -1) for t in passages[(i + j) % len(passages)]] + p
        prompt = torch.tensor([[model.config.bos_token_id] + context + open_q + p[:1]])
        out = model.generate(prompt, max_new_tokens=len(p) - 1, do_sample=False, pad_token_id=model.config.pad_token_id)
        exact += out[0, prompt.shape[1] :].tolist() == p[1:]
    return round(exact / max(1, len(passages)), 3)


@torch.no_grad()
def greedy(model, tokenizer, messages: list[dict], max_new: int) -> str:
    prompt = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    ids = torch.tensor([tokenizer(prompt, add_special_tokens=False)["input_ids"]])
    out = model.generate(ids, max_new_tokens=max_new, do_sample=False, eos_token_id=model.config.eos_token_id, pad_token_id=model.config.pad_token_id)
    return tokenizer.decode(out[0, ids.shape[1]:], skip_special_tokens=True)


def quote_scores(model, tokenizer, cases: list[tuple[list[dict], str, str]], max_new: int) -> dict:
    """cases: (prompt messages, oracle text, target sentence). Share of replies whose quote is the target exactly,
    lies in the oracle (citation), lies in any document (fidelity), and that end with <ANSWER>: (format)."""
    exact = cited = verbatim = quoted = fmt = 0
    for messages, oracle, target in cases:
        reply = greedy(model, tokenizer, messages, max_new)
        quote = reply.split("##begin_quote##", 1)[1].split("##end_quote##", 1)[0].strip() if "##begin_quote##" in reply else None
        fmt += "<ANSWER>:" in reply
        if quote:
            quoted += 1
            exact += quote == target
            cited += quote in oracle
            verbatim += quote in messages[-1]["content"]
    n = max(1, len(cases))
    return {"n": len(cases), "exact": round(exact / n, 3), "citation": round(cited / n, 3), "fidelity": round(verbatim / max(1, quoted), 3), "format": round(fmt / n, 3)}
