"""Builds one random-weight model of a default model's exact shape, in the layout transformers.js loads.

    python bench/real-shape/build.py --shape smollm2-135m --out <folder> [--text public/sample-wiki]

Llama shapes (SmolLM2-135M/360M-Instruct) go through the recipe's own export (recipes/export_onnx.py
--quantize: fp32 + q8); the BERT shape (all-MiniLM-L6-v2) is traced here (the recipe exports decoders
only) and quantized the same way. Tokenizers are trained on the sample wiki and padded with unused
entries to the real vocabulary size, so embedding and output matrices have their real sizes. No Hub.
"""

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import BertConfig, BertModel, GenerationConfig, LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "recipes"))
from make_tiny_base import save_tokenizer, train_tokenizer  # noqa: E402

LLAMA = {
    "smollm2-135m": dict(hidden_size=576, intermediate_size=1536, num_hidden_layers=30, num_attention_heads=9, num_key_value_heads=3),
    "smollm2-360m": dict(hidden_size=960, intermediate_size=2560, num_hidden_layers=32, num_attention_heads=15, num_key_value_heads=5),
}
BERT = {"minilm-l6": dict(hidden_size=384, intermediate_size=1536, num_hidden_layers=6, num_attention_heads=12, vocab_size=30522)}
LLAMA_VOCAB = 49152
BERT_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def padded(tokenizer: Tokenizer, size: int) -> Tokenizer:
    """The same tokenizer with unused vocabulary entries appended up to `size` (never produced by its merges)."""
    data = json.loads(tokenizer.to_str())
    vocab = data["model"]["vocab"]
    total = len(vocab) + len(data.get("added_tokens", [])) - sum(1 for t in data.get("added_tokens", []) if t["content"] in vocab)
    for i in range(size - total):
        vocab[f"unused{i}"] = len(vocab)
    return Tokenizer.from_str(json.dumps(data))


def build_llama(shape: str, text: Path, out: Path) -> None:
    base = out.parent / f"{out.name}.base"
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=padded(train_tokenizer(text, LLAMA_VOCAB), LLAMA_VOCAB),
        eos_token="<|im_end|>", pad_token="<|im_end|>", additional_special_tokens=["<|im_start|>", "<|im_end|>"], model_max_length=8192,
    )
    assert len(tokenizer) == LLAMA_VOCAB, len(tokenizer)
    save_tokenizer(tokenizer, base)
    eos, bos = tokenizer.convert_tokens_to_ids("<|im_end|>"), tokenizer.convert_tokens_to_ids("<|endoftext|>")
    config = LlamaConfig(vocab_size=LLAMA_VOCAB, head_dim=64, max_position_embeddings=8192, rope_theta=100000.0, rms_norm_eps=1e-5,
                         tie_word_embeddings=True, bos_token_id=bos, eos_token_id=eos, pad_token_id=eos, **LLAMA[shape])
    model = LlamaForCausalLM(config)
    with torch.no_grad():
        model.model.embed_tokens.weight[eos] = 0  # no end-of-turn: every reply runs to max_new_tokens
    model.generation_config = GenerationConfig(bos_token_id=bos, eos_token_id=eos, pad_token_id=eos)
    model.save_pretrained(base)
    print(f"{shape}: {sum(p.numel() for p in model.parameters()):,} parameters", flush=True)
    # NOTE: relative tolerance 1e-3: 30 random layers make logits large and float32 sums drift.
    subprocess.run([sys.executable, str(ROOT / "recipes/export_onnx.py"), "--model", str(base), "--out", str(out), "--quantize", "--tolerance", "1e-3"], check=True)


def bert_tokenizer(text: Path, size: int) -> PreTrainedTokenizerFast:
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece()
    files = sorted(str(p) for p in text.rglob("*") if p.suffix in {".md", ".txt"})
    tokenizer.train(files, trainers.WordPieceTrainer(vocab_size=size, special_tokens=BERT_SPECIALS, show_progress=False))
    tokenizer = padded(tokenizer, size)
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", cls_token="[CLS]", sep_token="[SEP]", pad_token="[PAD]", mask_token="[MASK]", model_max_length=512)


class Encoder(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        # NOTE: a 4D additive mask and explicit positions, built from tensors only, keep transformers'
        # shape-dependent mask and position shortcuts out of the trace (as the recipe's decoder export does).
        positions = (torch.ones_like(input_ids[0]).cumsum(0) - 1)[None].expand_as(input_ids)
        blocked = torch.tensor(torch.finfo(torch.float32).min)
        mask = torch.where(attention_mask[:, None, None, :].bool(), torch.tensor(0.0), blocked)
        return self.model(input_ids=input_ids, attention_mask=mask, token_type_ids=token_type_ids, position_ids=positions).last_hidden_state


def build_bert(shape: str, text: Path, out: Path) -> None:
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tokenizer = bert_tokenizer(text, BERT[shape]["vocab_size"])
    tokenizer.save_pretrained(out)
    config_path = out / "tokenizer_config.json"
    config_path.write_text(json.dumps({**json.loads(config_path.read_text()), "tokenizer_class": "BertTokenizer", "do_lower_case": True}, indent=2) + "\n")
    model = BertModel(BertConfig(max_position_embeddings=512, attn_implementation="eager", **BERT[shape]), add_pooling_layer=False).eval()
    (out / "config.json").write_text(json.dumps({**model.config.to_dict(), "architectures": ["BertModel"]}, indent=2) + "\n")
    ids = torch.randint(5, 1000, (2, 7))
    mask = torch.ones_like(ids)
    mask[1, 5:] = 0
    (out / "onnx").mkdir(parents=True, exist_ok=True)
    fp32 = out / "onnx/model.onnx"
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"}, "attention_mask": {0: "batch_size", 1: "sequence_length"},
            "token_type_ids": {0: "batch_size", 1: "sequence_length"}, "last_hidden_state": {0: "batch_size", 1: "sequence_length"}}
    with torch.no_grad():
        torch.onnx.export(Encoder(model).eval(), (ids, mask, torch.zeros_like(ids)), str(fp32), input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=17, dynamo=False)
        # A longer, differently padded batch than the trace's: the graph must not have baked its shapes in.
        ids = torch.randint(5, 1000, (3, 40))
        mask = torch.ones_like(ids)
        mask[2, 11:] = 0
        reference = model(input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)).last_hidden_state.numpy()
    session = ort.InferenceSession(str(fp32), providers=["CPUExecutionProvider"])
    got = session.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy(), "token_type_ids": np.zeros_like(ids.numpy())})[0]
    diff = float(np.abs(got - reference)[mask.bool().numpy()].max())
    if diff > 1e-3:
        raise SystemExit(f"Verification failed: onnxruntime vs PyTorch differ by {diff:.2e}.")
    print(f"verified: {fp32} (max |difference| {diff:.2e})")
    quantize_dynamic(fp32, out / "onnx/model_quantized.onnx", weight_type=QuantType.QInt8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", required=True, choices=[*LLAMA, *BERT])
    parser.add_argument("--out", required=True)
    parser.add_argument("--text", default=str(ROOT / "public/sample-wiki"))
    args = parser.parse_args()
    torch.manual_seed(7)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (build_llama if args.shape in LLAMA else build_bert)(args.shape, Path(args.text), out)
    shutil.rmtree(out.parent / f"{out.name}.base", ignore_errors=True)
    (out / ".built").write_text(args.shape + "\n")  # what bench/support/real-shape.ts checks before reusing a folder


if __name__ == "__main__":
    main()
