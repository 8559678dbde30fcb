"""Data for the demo models, from the sample wiki alone: the app's chunks, their sentences, templated training
questions, synthetic copy tasks, and the guard that keeps every test question and test quote out of training."""

import json
import random
import re
import subprocess
from pathlib import Path

# The app's default RAFT system prompt (src/lib/core/raft/prompt.ts): copy tasks use it, so the base model
# already reads documents in the layout the app shows it.
SYSTEM = (
    "You are a helpful assistant. Answer the question using the documents. Quote the sentences you rely on verbatim "
    "between ##begin_quote## and ##end_quote##, ignore documents that do not help, and end with <ANSWER>: followed by "
    "the final answer."
)
STOP = set(
    "a an the and or but if then of to in on at by for with from as is are was were be been it its this that these those "
    "you your we our they their can cannot not no do does did will would should may might must has have had which who "
    "what when where how why all any each every some more most other only also than so such into out up down over after "
    "before about there here one two".split()
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[`*])")


def dump_chunks(docs: Path, out: Path) -> list[dict]:
    """The app's own chunks of the docs folder (recipes/demo/dump_chunks.ts runs the app's chunker in Node)."""
    script = Path(__file__).with_name("dump_chunks.ts")
    with out.open("w") as handle:
        subprocess.run(["node", "--import", "tsx", str(script), str(docs)], check=True, stdout=handle)
    return [json.loads(line) for line in out.read_text().splitlines()]


def sentences_of(chunk: dict) -> list[str]:
    """Sentences of a chunk's body (its first line is the heading), each a verbatim substring of the chunk."""
    found = []
    for line in chunk["text"].split("\n")[1:]:
        for sentence in SENTENCE_END.split(line.strip()):
            words = sentence.split()
            if 30 <= len(sentence) <= 220 and len(words) >= 5 and "|" not in sentence and sentence in chunk["text"]:
                found.append(sentence)
    return found


def content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9-]+", text) if w.lower() not in STOP and len(w) >= 3]


def overlaps(sentence: str, quote: str) -> bool:
    """The sentence is, contains, or mostly repeats the quote (word sets, 60%)."""
    if sentence in quote or quote in sentence:
        return True
    a, b = set(content_words(sentence.lower())), set(content_words(quote.lower()))
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= 0.6


def read_questions(path: Path) -> tuple[list[dict], list[dict], bool]:
    """(test, train) questions of the wiki's file. Without a split field every question counts as test: safe."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    has_split = any("split" in r for r in rows)
    test = [r for r in rows if not has_split or r.get("split") == "test"]
    train = [r for r in rows if has_split and r.get("split") == "train"]
    return test, train, has_split


QUESTION_FORMS = [
    "What does the {title} page say about {phrase}?",
    "What does the wiki say about {phrase}?",
    "Tell me about {phrase}.",
    "{title}: what about {phrase}?",
    "What should I know about {phrase}?",
    "How does {phrase} work in {title}?",
]


def templated_question(sentence: str, title: str, rng: random.Random) -> tuple[str, list[str]] | None:
    """A question naming a few words of the sentence, in one of a handful of forms, and the words it names."""
    words = content_words(sentence)
    if len(words) < 2:
        return None
    start = rng.randrange(0, max(1, len(words) - 2))
    cue = words[start : start + rng.choice([2, 3, 3, 4])]
    return rng.choice(QUESTION_FORMS).format(title=title, phrase=" ".join(cue)), cue


def quote_span(sentence: str, cue: list[str], shortest: int, longest: int) -> str:
    """The part of the sentence that holds the cue's words, widened to `shortest` words (forwards first), at most
    `longest` unless the cue itself is spread wider; a verbatim substring of the sentence, or the whole sentence
    when it is short or no span can be cut cleanly. Short quotes: the demo models copy a sentence's tokens with
    ~0.85 accuracy each, so a 25-token quote seldom comes out whole and a 10-token one often does."""
    words = sentence.split(" ")
    if len(words) <= longest:
        return sentence
    hits = [i for i, w in enumerate(words) if any(c in w for c in cue)]
    if not hits:
        return sentence
    first, last = hits[0], max(h for h in hits if h - hits[0] < longest)
    end = max(last + 1, min(len(words), first + shortest))
    clause_ends = [b for b in range(max(last + 1, first + shortest - 2), min(len(words), first + longest) + 1) if words[b - 1].endswith((",", ";", ":", "."))]
    end = clause_ends[0] if clause_ends else end  # the end of the clause where it is near
    first = max(0, min(first, end - shortest))
    span = " ".join(words[first:end]).rstrip(",;:")
    return span if span in sentence and len(span.split()) >= min(shortest, len(words)) else sentence


def make_sentence_pool(chunks: list[dict], test_quotes: list[str]) -> tuple[list[dict], int]:
    """Every usable (chunk, sentence) pair not overlapping a test quote, and how many were refused."""
    pool, refused, seen = [], 0, set()
    for chunk in chunks:
        for sentence in sentences_of(chunk):
            if any(overlaps(sentence, q) for q in test_quotes):
                refused += 1
            elif (chunk["article"], sentence) not in seen:
                seen.add((chunk["article"], sentence))
                pool.append({"chunk": chunk, "sentence": sentence})
    return pool, refused


def write_train_questions(train_pool: list[dict], val_pool: list[dict], wiki_train: list[dict], seed: int, path: Path,
                          quote_words: tuple[int, int] | None = None) -> tuple[list[dict], list[dict]]:
    """Templated questions (train_pool: split train; val_pool: split test, our validation, never trained on), plus
    the wiki's own train questions. Quote and answer are the sentence, or with `quote_words` (shortest, longest)
    the span of it around the words the question names. Returns (train rows, validation rows); `oracle` is the
    source chunk's text."""
    rng = random.Random(seed)
    rows = []
    for split, items in (("train", train_pool), ("test", val_pool)):
        for item in items:
            asked = templated_question(item["sentence"], item["chunk"]["title"], rng)
            if asked is not None:
                question, cue = asked
                quote = quote_span(item["sentence"], cue, *quote_words) if quote_words else item["sentence"]
                rows.append({"question": question, "answer": quote, "article": item["chunk"]["article"],
                             "quote": quote, "split": split, "oracle": item["chunk"]["text"]})
    for q in wiki_train:
        rows.append({**{k: q[k] for k in ("question", "answer", "article", "quote") if k in q}, "split": "train"})
    with path.open("w") as handle:
        for row in rows:
            handle.write(json.dumps({k: v for k, v in row.items() if k != "oracle"}) + "\n")
    return [r for r in rows if r["split"] == "train"], [r for r in rows if r["split"] == "test"]


def assert_no_test_overlap(chat_files: list[Path], test: list[dict]) -> None:
    """Refuses training data holding a test question or a test quote (the issue's rule)."""
    questions = {q["question"].strip().lower() for q in test}
    quotes = [q["quote"] for q in test if q.get("quote")]
    for path in chat_files:
        for n, line in enumerate(path.read_text().splitlines(), 1):
            messages = json.loads(line)["messages"]
            user, answer = messages[-2]["content"], messages[-1]["content"]
            asked = user.rsplit("</DOCUMENT>\n", 1)[-1].strip().lower()
            if asked in questions:
                raise SystemExit(f"{path}:{n} is a test question: {asked!r}. Remove it from the training questions.")
            for quote in quotes:
                if quote in answer:
                    raise SystemExit(f"{path}:{n} quotes a test quote: {quote[:60]!r}. Remove it from the training questions.")


def copy_task(target: dict, others: list[dict], rng: random.Random) -> dict:
    """Passages (the target's chunk among others, shuffled), a cue naming words of one sentence, that sentence as answer."""
    words = content_words(target["sentence"])
    cue = rng.sample(words, min(len(words), rng.choice([2, 3, 4])))
    cue.sort(key=words.index)
    docs = [target["chunk"]["text"]] + [c["text"] for c in others]
    rng.shuffle(docs)
    user = "".join(f"<DOCUMENT>{d}</DOCUMENT>\n" for d in docs) + f"Repeat the sentence that mentions {', '.join(cue)}."
    return {"messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user},
                         {"role": "assistant", "content": f"##begin_quote##{target['sentence']}##end_quote##"}]}


def copy_tasks(pool: list[dict], chunks: list[dict], count: int, max_docs: int, rng: random.Random) -> list[dict]:
    out = []
    for _ in range(count):
        target = rng.choice(pool)
        others = [c for c in rng.sample(chunks, max_docs) if c["text"] != target["chunk"]["text"]][: rng.randint(0, max_docs - 1)]
        out.append(copy_task(target, others, rng))
    return out


def short_copy_tasks(pool: list[dict], count: int, rng: random.Random) -> list[dict]:
    """Cheap copy drills: 1-3 passages of 1-3 wiki sentences with half their words swapped for random wiki words,
    no system prompt. Scrambled text cannot be memorised (a first try on plain sentences learned them by heart and
    copied nothing held out), so copying from the context is the only way to predict it; short sequences put
    many copied tokens in each second of CPU."""
    vocab = [w for p in pool for w in p["sentence"].split()]
    out = []
    for _ in range(count):
        picked = [scramble(p["sentence"], vocab, rng) for p in rng.sample(pool, rng.randint(1, 3) * 2)]
        passages = [" ".join(picked[i : i + rng.randint(1, 2)]) for i in range(0, len(picked), 2)]
        target = picked[0]
        words = content_words(target) or target.split()
        cue = sorted(rng.sample(words, min(len(words), rng.choice([2, 3]))), key=words.index)
        rng.shuffle(passages)
        # Half the drills name the sentence's first words: plain induction (find, continue), learned first.
        ask = f"starts with {' '.join(target.split()[:3])}" if rng.random() < 0.5 else f"mentions {', '.join(cue)}"
        user = "".join(f"<DOCUMENT>{d}</DOCUMENT>\n" for d in passages) + f"Repeat the sentence that {ask}."
        out.append({"messages": [{"role": "user", "content": user}, {"role": "assistant", "content": f"##begin_quote##{target}##end_quote##"}]})
    return out


def scramble(sentence: str, vocab: list[str], rng: random.Random) -> str:
    """Half the inner words replaced by random ones; the first and last stay, so sentence ends still show."""
    words = sentence.split()
    return " ".join(w if i in (0, len(words) - 1) or rng.random() < 0.5 else rng.choice(vocab) for i, w in enumerate(words))


class RepeatDrills:
    """Rows of "passage ##begin_quote## passage ##end_quote##" units (token ids), the loss on the repeat only.
    Passages are random tokens from a window of the vocabulary whose width follows `widths` over the steps
    (narrow first: copying forms in a few hundred steps on a 64-token window and then spreads, where drills
    over the whole vocabulary from the start taught nothing in 1,300 steps; see recipes/README.md section 8);
    a `real` share of passages are tokenised wiki sentences instead, and a `scrambled` share are random wiki words
    (their tokens recur as in real text, so copying must match more than the last token, and they cannot be
    memorised), and a `perturbed` share are wiki sentences with one to three tokens swapped for a wiki word's
    (the language-model prior is sure of the original there, so only a copy that outweighs it gets them right:
    held-out sentences were copied with 0.88 token accuracy where random tokens reached 0.99). Each row starts
    with `start` (the BOS token the checks and the language-modelling rows begin with: a first token the
    drills never showed threw them)."""

    def __init__(self, vocab: int, first: int, open_q: list[int], close_q: list[int], widths: list[int], steps: int,
                 max_passage: int, real: float, sentences: list[list[int]], rng: random.Random, start: int,
                 scrambled: float = 0.0, words: list[list[int]] | None = None, groups: list[int] | None = None, perturbed: float = 0.0):
        self.start, self.scrambled, self.words, self.groups, self.perturbed = start, scrambled, words or [], groups or [1], perturbed
        self.vocab, self.first, self.open_q, self.close_q = vocab, first, open_q, close_q
        self.widths, self.steps, self.max_passage, self.real, self.sentences, self.rng = widths, steps, max_passage, real, sentences, rng

    def scheduled(self, values: list[int], step: int) -> int:
        """values[i] for the i-th equal share of the steps."""
        return values[min(len(values) - 1, (step - 1) * len(values) // self.steps)]

    def passage(self, step: int) -> list[int]:
        rng = self.rng
        draw = rng.random()
        if self.sentences and draw < self.real:
            return rng.choice(self.sentences)
        draw -= self.real
        if self.sentences and self.words and draw < self.perturbed:
            out = list(rng.choice(self.sentences))
            for at in rng.sample(range(len(out)), min(len(out), rng.randint(1, 3))):
                out[at] = rng.choice(rng.choice(self.words))
            return out
        draw -= self.perturbed
        if self.words and draw < self.scrambled:
            out, length = [], rng.randint(self.max_passage // 2, self.max_passage)
            while len(out) < length:
                out += rng.choice(self.words)
            return out[:length]
        width = min(self.scheduled(self.widths, step), self.vocab - self.first)
        low = rng.randrange(self.first, self.vocab - width + 1)
        return [rng.randrange(low, low + width) for _ in range(rng.randint(self.max_passage // 2, self.max_passage))]

    def rows(self, step: int, tokens: int) -> list[tuple[list[int], list[int]]]:
        """About `tokens` tokens of rows, each the shortest of 512, 1,024 or 2,048 tokens that holds the longest unit
        of this step: many passages run together put the repeat up to ~2,000 tokens after its passage, as far as a
        RAFT prompt's first document is from its quote (rows of 512 had taught copying that fell from 0.97 at ~90
        tokens back to 0.61 at ~1,080)."""
        longest = 1 + (self.scheduled(self.groups, step) + 1) * self.max_passage + len(self.open_q) + len(self.close_q)
        length = next((n for n in (512, 1024, 2048) if n >= longest), 2048)
        return [self.row(step, length) for _ in range(max(1, tokens // length))]

    def row(self, step: int, length: int) -> tuple[list[int], list[int]]:
        """Units of 1..n passages run together (n from `groups`, in turn over the steps), then ##begin_quote## and
        one of them repeated. Its first token (which passage) is not trained on; with several passages the rest
        can only be found by matching content, since the repeated one may start anywhere (with one passage per
        unit the model learned to copy from the last ##end_quote## on by position, and copied nothing from the
        middle of a document)."""
        ids, labels = [self.start], [-100]
        while len(ids) < length:
            passages = [self.passage(step) for _ in range(self.rng.randint(1, self.scheduled(self.groups, step)))]
            p = self.rng.choice(passages)
            context = [t for q in passages for t in q]
            ids += context + self.open_q + p + self.close_q
            labels += [-100] * (len(context) + len(self.open_q) + 1) + p[1:] + self.close_q
        if all(label == -100 for label in labels[:length]):  # the loss would be NaN, silently
            raise ValueError(f"Drill rows of {length} tokens hold no repeat: make them longer than {len(ids)} tokens or the passages shorter.")
        return ids[:length], labels[:length]
