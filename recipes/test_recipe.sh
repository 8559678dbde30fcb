#!/usr/bin/env bash
# The whole recipe end to end on the CPU, with a tiny random model instead of a download (a minute or less):
# tiny base -> RAFT dataset from the sample wiki -> LoRA fine-tuning -> merge -> ONNX export -> file check.
#   recipes/test_recipe.sh [WORK_DIR]        the exported model ends in WORK_DIR/onnx
# RAFT_RECIPE_PYTHON: a Python with recipes/requirements.txt installed, or the folder of such a venv
# (default: node_modules/.cache/raft-recipe-venv if present, else python3). Run from the repository root.
set -euo pipefail
work="${1:-$(mktemp -d)}"
python="${RAFT_RECIPE_PYTHON:-}"
if [ -z "$python" ]; then
  if [ -x node_modules/.cache/raft-recipe-venv/bin/python ]; then python=node_modules/.cache/raft-recipe-venv/bin/python; else python=python3; fi
fi
[ -d "$python" ] && python="$python/bin/python"
export PYTHONWARNINGS=ignore TOKENIZERS_PARALLELISM=false HF_HUB_OFFLINE=1 TRANSFORMERS_VERBOSITY=error
rm -rf "$work/base" "$work/dataset" "$work/merged" "$work/onnx"
mkdir -p "$work"

step() {
  local name="$1"
  shift
  local start=$SECONDS
  echo "== $name"
  "$@"
  echo "== $name: $((SECONDS - start)) s"
}

# 1. A tiny random Llama with a BPE tokenizer trained on the sample wiki and a ChatML template.
step "tiny base" "$python" recipes/make_tiny_base.py --out "$work/base" --text public/sample-wiki

# 2. The RAFT dataset, exactly as the app's Dataset -> Export dataset (chat format) writes it.
step "dataset" npm run --silent raft -- build --docs public/sample-wiki --questions public/sample-wiki/questions.jsonl \
  --format chat --out "$work/dataset"

# 3. A few LoRA steps, then the adapter merged into the base weights, under accelerate as on GPUs.
# NOTE: examples are 700-1100 tokens with this small vocabulary; --max-length 1024 keeps their answers.
step "fine-tune" "$python" -m accelerate.commands.launch --cpu --num_processes 1 --num_machines 1 --mixed_precision no --dynamo_backend no \
  recipes/finetune.py --train "$work/dataset/train.jsonl" --eval "$work/dataset/test.jsonl" \
  --base "$work/base" --out "$work/merged" --max-steps 6 --rank 4 --batch-size 2 --grad-accum 1 --max-length 1024 --lr 1e-3

# 4. ONNX in the transformers.js layout, checked with onnxruntime, plus the int8 version.
step "export" "$python" recipes/export_onnx.py --model "$work/merged" --out "$work/onnx" --quantize

# 5. The folder the app's Models -> Local folder expects.
for file in config.json generation_config.json tokenizer.json tokenizer_config.json onnx/model.onnx onnx/model_quantized.onnx; do
  [ -s "$work/onnx/$file" ] || { echo "missing: $work/onnx/$file" >&2; exit 1; }
done
grep -q '"chat_template"' "$work/onnx/tokenizer_config.json" || { echo "no chat_template in tokenizer_config.json" >&2; exit 1; }
echo "recipe OK: $work/onnx"
