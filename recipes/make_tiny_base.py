"""Builds a tiny, randomly initialised Llama chat model to test the recipe without downloading anything.

    python recipes/make_tiny_base.py --out /tmp/tiny-base [--text public/sample-wiki]

The tokenizer is a byte-level BPE trained here on the sample wiki (any UTF-8 text still tokenizes: the 256
byte symbols are in the vocabulary), with ChatML special tokens and a ChatML chat template, so the folder
behaves like SmolLM2-Instruct in miniature. The model says nothing sensible: it exists to test plumbing.
Its output row for the end-of-turn token <|im_end|> is zero, so a few fine-tuning steps never teach it to stop:
a reply always runs to max_new_tokens, which lets tests count tokens.
"""

import argparse
import json
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def train_tokenizer(text_dir: Path, vocab_size: int) -> Tokenizer:
    files = sorted(str(p) for p in text_dir.rglob("*") if p.suffix in {".md", ".txt", ".jsonl"})
    if not files:
        raise SystemExit(f"No .md, .txt or .jsonl files under {text_dir} to train the tokenizer on.")
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train(files, trainer)
    return tokenizer


def save_tokenizer(tokenizer: PreTrainedTokenizerFast, out: Path) -> None:
    """Saves `tokenizer` with the ChatML template where transformers.js reads it."""
    tokenizer.chat_template = CHATML_TEMPLATE
    tokenizer.save_pretrained(out)
    # NOTE: newer transformers write the template to chat_template.jinja; transformers.js reads it from
    # tokenizer_config.json only, and knows GPT2Tokenizer (a byte-level BPE) by name.
    config_path = out / "tokenizer_config.json"
    tokenizer_config = json.loads(config_path.read_text())
    tokenizer_config.update(chat_template=CHATML_TEMPLATE, tokenizer_class="GPT2Tokenizer")
    config_path.write_text(json.dumps(tokenizer_config, indent=2, ensure_ascii=False) + "\n")
    (out / "chat_template.jinja").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="folder to write the model to")
    parser.add_argument("--text", default="public/sample-wiki", help="folder of text to train the tokenizer on")
    parser.add_argument("--vocab-size", type=int, default=2048, help="BPE vocabulary size, 300..32000")
    parser.add_argument("--hidden-size", type=int, default=64)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--init-std", type=float, default=0.02, help="initializer_range; 0.1 gives attention sharp enough to expose RoPE or mask mistakes")
    parser.add_argument("--tie", action="store_true", help="tie lm_head to embed_tokens (tie_word_embeddings, as SmolLM2)")
    args = parser.parse_args()
    out = Path(args.out)
    torch.manual_seed(args.seed)

    # 1. Tokenizer, saved with the chat template and the ChatML end token as eos and pad.
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=train_tokenizer(Path(args.text), args.vocab_size),
        eos_token="<|im_end|>",
        pad_token="<|im_end|>",
        additional_special_tokens=["<|im_start|>", "<|im_end|>"],
        model_max_length=2048,
    )
    save_tokenizer(tokenizer, out)

    # 2. A small Llama with grouped-query attention (4 query heads share 2 key/value heads).
    eos_id = tokenizer.convert_tokens_to_ids("<|im_end|>")
    bos_id = tokenizer.convert_tokens_to_ids("<|endoftext|>")
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=args.hidden_size,
        intermediate_size=args.hidden_size * 2,
        num_hidden_layers=args.layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        head_dim=args.hidden_size // 4,
        max_position_embeddings=2048,
        tie_word_embeddings=args.tie,
        bos_token_id=bos_id,
        eos_token_id=eos_id,
        pad_token_id=eos_id,
        initializer_range=args.init_std,
    )
    model = LlamaForCausalLM(config)
    with torch.no_grad():
        model.lm_head.weight[eos_id] = 0  # the <|im_end|> logit stays 0, below the best of the others
    model.generation_config = GenerationConfig(bos_token_id=bos_id, eos_token_id=eos_id, pad_token_id=eos_id)
    model.save_pretrained(out)
    params = sum(p.numel() for p in model.parameters())
    print(f"tiny base: {params:,} parameters, vocabulary {len(tokenizer)}, written to {out}")


if __name__ == "__main__":
    main()
