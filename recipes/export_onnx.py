"""Exports a Llama- or Qwen2-family causal LM folder to ONNX in the layout transformers.js loads.

    python recipes/export_onnx.py --model raft-smollm2-360m --out raft-smollm2-360m-onnx [--quantize]

No optimum needed: torch.onnx.export traces a thin wrapper whose inputs and outputs are exactly what
transformers.js feeds a decoder with a key/value cache:
    inputs   input_ids, attention_mask, position_ids, past_key_values.{i}.key / .value
    outputs  logits, present.{i}.key / .value
The cache tensors are [batch_size, kv_heads, past_sequence_length, head_dim] with kv_heads and head_dim
fixed numbers (transformers.js builds the first, empty cache from them). After export, onnxruntime checks
that generating with the cache gives the same logits as one full pass, and that left padding is masked.
"""

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import helper, numpy_helper
from transformers import AutoModelForCausalLM, AutoTokenizer, DynamicCache

TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]
PROTOBUF_LIMIT = 1_800_000_000  # bytes, under protobuf's 2 GiB; bigger models keep their weights in onnx/model.onnx_data


class DecoderWithPast(torch.nn.Module):
    """forward(input_ids, attention_mask, position_ids, *past) -> (logits, *present), caches flattened."""

    def __init__(self, model: torch.nn.Module):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *past):
        pairs = [(past[i], past[i + 1]) for i in range(0, len(past), 2)]
        out = self.model(
            input_ids=input_ids,
            attention_mask=causal_mask(attention_mask, input_ids),
            position_ids=position_ids,
            past_key_values=make_cache(pairs),
            use_cache=True,
        )
        return (out.logits, *[t for pair in cache_pairs(out.past_key_values) for t in pair])


def causal_mask(attention_mask: torch.Tensor, input_ids: torch.Tensor) -> torch.Tensor:
    """Additive 4D mask [batch, 1, query, key]: key j is visible to query i if j <= past_length + i and j is not padding.

    NOTE: built from tensor shapes only, so the traced graph stays dynamic; a 4D mask is used as-is by the
    model, which keeps transformers' own mask code (and its shape-dependent shortcuts) out of the trace.
    """
    key = torch.ones_like(attention_mask[0]).cumsum(0) - 1  # 0 .. total-1
    query = torch.ones_like(input_ids[0]).cumsum(0) - 1  # 0 .. q-1
    past_length = key[-1] - query[-1]
    allowed = (key[None, :] <= query[:, None] + past_length)[None, None] & attention_mask[:, None, None, :].bool()
    return torch.where(allowed, torch.tensor(0.0), torch.tensor(torch.finfo(torch.float32).min))


def make_cache(pairs):
    """The installed transformers' cache object from (key, value) pairs: DynamicCache(pairs) on 4.56+."""
    try:
        return DynamicCache(pairs)
    except TypeError:  # older releases
        return DynamicCache.from_legacy_cache(tuple(pairs))


def cache_pairs(cache):
    """(key, value) per layer from a DynamicCache of any recent transformers, or from legacy tuples."""
    if hasattr(cache, "layers"):
        return [(layer.keys, layer.values) for layer in cache.layers]
    if hasattr(cache, "key_cache"):
        return list(zip(cache.key_cache, cache.value_cache))
    return list(cache)


def export(model, out_file: Path) -> list[str]:
    config = model.config
    layers, kv_heads = config.num_hidden_layers, config.num_key_value_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    # 1. Example inputs: batch 2, 3 new tokens, 4 cached ones (sizes 0 and 1 would be baked into the trace).
    batch, new, past_len = 2, 3, 4
    input_ids = torch.randint(0, config.vocab_size, (batch, new))
    attention_mask = torch.ones(batch, past_len + new, dtype=torch.int64)
    position_ids = torch.arange(past_len, past_len + new).expand(batch, new)
    past = [torch.randn(batch, kv_heads, past_len, head_dim) for _ in range(2 * layers)]
    # 2. Names and dynamic axes, exactly as transformers.js expects them.
    past_names = [f"past_key_values.{i}.{kind}" for i in range(layers) for kind in ("key", "value")]
    present_names = [f"present.{i}.{kind}" for i in range(layers) for kind in ("key", "value")]
    axes = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
        **{name: {0: "batch_size", 2: "past_sequence_length"} for name in past_names},
        **{name: {0: "batch_size", 2: "total_sequence_length"} for name in present_names},
    }
    with torch.no_grad():
        torch.onnx.export(
            DecoderWithPast(model).eval(),
            (input_ids, attention_mask, position_ids, *past),
            str(out_file),
            input_names=["input_ids", "attention_mask", "position_ids", *past_names],
            output_names=["logits", *present_names],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    return past_names


def share_tied_weights(proto: onnx.ModelProto) -> int:
    """Stores a weight once where another initializer is its transpose; returns the bytes saved.

    NOTE: with tie_word_embeddings the trace folds lm_head's Transpose(embed_tokens) into a second
    initializer (+vocab x hidden x 4 bytes); a Transpose node of the one copy gives the same logits.
    Square matrices are skipped: only the tied [vocab, hidden] pair is worth the comparison.
    """
    by_shape: dict[tuple, list] = {}
    for tensor in proto.graph.initializer:
        if len(tensor.dims) == 2 and tensor.dims[0] != tensor.dims[1]:
            by_shape.setdefault((tensor.data_type, tuple(tensor.dims)), []).append(tensor)
    saved, kept, dropped = 0, set(), set()
    for (data_type, (rows, cols)), tensors in list(by_shape.items()):
        for tensor in tensors:
            if tensor.name in dropped:
                continue
            array = None
            for other in by_shape.get((data_type, (cols, rows)), []):
                if other.name in kept or other.name in dropped:
                    continue
                array = numpy_helper.to_array(tensor) if array is None else array
                if np.array_equal(numpy_helper.to_array(other), array.T):
                    proto.graph.node.insert(0, helper.make_node("Transpose", [tensor.name], [other.name], name=f"{other.name}/tied", perm=[1, 0]))
                    saved += array.nbytes
                    kept.add(tensor.name)
                    dropped.add(other.name)
    for tensor in [t for t in proto.graph.initializer if t.name in dropped]:
        proto.graph.initializer.remove(tensor)
    return saved


def save_onnx(src: Path, dst: Path, external: bool, share: bool = False) -> bool:
    """Saves src as dst, its weights in <dst>_data (the name transformers.js fetches) when asked or when too big."""
    proto = onnx.load(str(src))
    saved = share_tied_weights(proto) if share else 0
    if saved:
        print(f"tied weights stored once in {dst.name}: {saved / 1e6:.1f} MB saved")
    dst.parent.mkdir(parents=True, exist_ok=True)
    # NOTE: proto.ByteSize() itself fails above 2 GB, so add up the weights one by one.
    external = external or sum(t.ByteSize() for t in proto.graph.initializer) >= PROTOBUF_LIMIT
    onnx.save_model(proto, str(dst), save_as_external_data=external, location=f"{dst.name}_data")
    return external


def write_config(model, out: Path, external_files: list[str]) -> None:
    """config.json (telling transformers.js which ONNX files have external weights) and generation_config.json."""
    config = model.config.to_dict()
    if external_files:
        config["transformers.js_config"] = {"use_external_data_format": {name: 1 for name in external_files}}
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    model.generation_config.to_json_file(out / "generation_config.json")


def copy_tokenizer(model_dir: Path, out: Path) -> None:
    """The tokenizer files, with chat_template inside tokenizer_config.json where transformers.js reads it."""
    if (model_dir / "tokenizer.json").exists():
        for name in TOKENIZER_FILES + ["chat_template.jinja"]:
            if (model_dir / name).exists():
                shutil.copy(model_dir / name, out / name)
    else:  # only a slow tokenizer in the folder: save its fast (tokenizer.json) form
        AutoTokenizer.from_pretrained(model_dir).save_pretrained(out)
    config_path, jinja_path = out / "tokenizer_config.json", out / "chat_template.jinja"
    tokenizer_config = json.loads(config_path.read_text())
    if "chat_template" not in tokenizer_config and jinja_path.exists():
        tokenizer_config["chat_template"] = jinja_path.read_text()
        config_path.write_text(json.dumps(tokenizer_config, indent=2, ensure_ascii=False) + "\n")
    jinja_path.unlink(missing_ok=True)
    if "chat_template" not in tokenizer_config:
        print("WARNING: no chat_template: the app cannot format chats for this model.")


def run(session, ids, mask, positions, past):
    feeds = {"input_ids": ids, "attention_mask": mask, "position_ids": positions, **past}
    names = [o.name for o in session.get_outputs()]
    outputs = dict(zip(names, session.run(None, feeds)))
    return outputs["logits"], {n.replace("present", "past_key_values"): v for n, v in outputs.items() if n != "logits"}


def verify(onnx_file: Path, model, prompt_ids: list[int], tolerance: float) -> None:
    """Full pass vs cached steps, left padding vs a single row, and onnxruntime vs PyTorch."""
    session = ort.InferenceSession(str(onnx_file), providers=["CPUExecutionProvider"])
    for kind, items in (("inputs", session.get_inputs()), ("outputs", session.get_outputs())):
        shown = [f"{i.name} {i.type.removeprefix('tensor(').rstrip(')')}{i.shape}" for i in items]
        more = f", ... {len(shown) - 5} more, the last {items[-1].name}" if len(shown) > 6 else ""
        print(f"{kind}:", ", ".join(shown if not more else shown[:5]) + more)
    cache_inputs = [i for i in session.get_inputs() if i.name.startswith("past_key_values.")]

    def empty(batch):
        return {i.name: np.zeros((batch, i.shape[1], 0, i.shape[3]), np.float32) for i in cache_inputs}

    def single(ids):
        n = len(ids)
        return run(session, np.array([ids]), np.ones((1, n), np.int64), np.arange(n)[None], empty(1))

    ids = np.array(prompt_ids, dtype=np.int64)
    n = len(ids)
    full, _ = single(ids.tolist())
    # 1. The prompt minus 3 tokens, then one token per step with the growing cache.
    split = n - 3
    logits, past = single(ids[:split].tolist())
    for t in range(split, n):
        logits, past = run(session, ids[None, t : t + 1], np.ones((1, t + 1), np.int64), np.array([[t]]), past)
    cached_diff = float(np.abs(logits[0, -1] - full[0, -1]).max())
    # 2. A batch of two, the second row left-padded, as transformers.js batches prompts.
    short = ids[4:]
    pad = n - len(short)
    batch_ids = np.stack([ids, np.concatenate([np.zeros(pad, np.int64), short])])
    mask = np.stack([np.ones(n, np.int64), np.concatenate([np.zeros(pad, np.int64), np.ones(len(short), np.int64)])])
    positions = np.clip(mask.cumsum(1) - 1, 0, None)
    batch_logits, _ = run(session, batch_ids, mask, positions, empty(2))
    short_logits, _ = single(short.tolist())
    padded_diff = float(np.abs(batch_logits[1, -1] - short_logits[0, -1]).max())
    # 3. The PyTorch model itself.
    with torch.no_grad():
        reference = model(torch.tensor(ids)[None]).logits[0, -1].numpy()
    torch_diff = float(np.abs(full[0, -1] - reference).max())
    print(f"max |logits difference|: cached steps vs full pass {cached_diff:.2e}, left-padded vs single {padded_diff:.2e}, onnxruntime vs PyTorch {torch_diff:.2e}")
    # NOTE: relative to the largest logit (trained models reach 10-30), absolute below 1.
    limit = tolerance * max(1.0, float(np.abs(reference).max()))
    worst = max(cached_diff, padded_diff, torch_diff)
    if worst > limit:
        raise SystemExit(f"Verification failed: logits differ by {worst:.2e} > {limit:.1e}.")
    print(f"verified: {onnx_file} (prompt of {n} tokens)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="Hugging Face model folder (e.g. the output of finetune.py)")
    parser.add_argument("--out", required=True, help="folder to write (config, tokenizer, onnx/model.onnx)")
    parser.add_argument("--quantize", action="store_true", help="also write onnx/model_quantized.onnx (int8 weights: dtype q8 in the app)")
    parser.add_argument("--external-data", action="store_true", help="weights in onnx/model.onnx_data (automatic above 2 GB)")
    parser.add_argument("--tolerance", type=float, default=1e-4, help="largest logits difference accepted, relative to the largest logit (default 1e-4)")
    args = parser.parse_args()
    model_dir, out = Path(args.model), Path(args.out)

    # 1. Load in float32 with plain (eager) attention: what is traced is what runs in the browser.
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager").eval()
    if model.config.model_type not in {"llama", "qwen2", "mistral"}:
        print(f"WARNING: model_type {model.config.model_type!r} is untested; the checks below will tell.")

    # 2. Trace to a scratch folder, then save as onnx/model.onnx (+ model.onnx_data when large).
    out.mkdir(parents=True, exist_ok=True)
    external_files = []
    scratch = Path(tempfile.mkdtemp())
    traced = scratch / "model.onnx"
    export(model, traced)
    if save_onnx(traced, out / "onnx" / "model.onnx", args.external_data, share=True):
        external_files.append("model.onnx")
    write_config(model, out, external_files)
    copy_tokenizer(model_dir, out)

    # 3. Check the graph with onnxruntime on a real chat prompt.
    tokenizer = AutoTokenizer.from_pretrained(out)
    messages = [{"role": "user", "content": "How long do I have to ask for a refund?"}]
    prompt = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    verify(out / "onnx" / "model.onnx", model, tokenizer(prompt, add_special_tokens=False)["input_ids"], args.tolerance)

    # 4. Optional int8 weights (about 4x smaller; the app loads it with dtype q8).
    if args.quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantized = out / "onnx" / "model_quantized.onnx"
        # NOTE: from the traced (untied) graph: a Transpose of the shared fp32 embedding would keep lm_head
        # in fp32; untied, the Gather and lm_head each get int8 weights (2 x vocab x hidden bytes).
        quantize_dynamic(traced, scratch / quantized.name, weight_type=QuantType.QInt8, use_external_data_format=True)
        if save_onnx(scratch / quantized.name, quantized, args.external_data):
            external_files.append(quantized.name)
        write_config(model, out, external_files)
        ort.InferenceSession(str(quantized), providers=["CPUExecutionProvider"])
        print(f"quantized: {quantized}")
    shutil.rmtree(scratch, ignore_errors=True)
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        print(f"  {path.relative_to(out)}  {path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
