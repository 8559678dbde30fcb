#!/usr/bin/env bash
# Creates a Python virtual environment with the recipe's packages (CPU torch).
#   recipes/setup_venv.sh [VENV_DIR]        default VENV_DIR: node_modules/.cache/raft-recipe-venv
# Extra pip arguments (e.g. a local index) come from RAFT_RECIPE_PIP_ARGS, for example:
#   RAFT_RECIPE_PIP_ARGS="--index-url file:///opt/pypi/simple --find-links /opt/wheels" recipes/setup_venv.sh
# NOTE: torch is installed first, from RAFT_RECIPE_TORCH (a requirement or a wheel path) when set, else
# from the PyTorch CPU index, so the CUDA build (several GB) is not pulled on a CPU-only machine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${1:-node_modules/.cache/raft-recipe-venv}"
read -r -a pip_args <<< "${RAFT_RECIPE_PIP_ARGS:-}"

# 1. The virtual environment.
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
pip=("$venv/bin/python" -m pip install --disable-pip-version-check --quiet "${pip_args[@]}")

# 2. CPU torch.
if ! "$venv/bin/python" -c 'import torch' 2>/dev/null; then
  if [ -n "${RAFT_RECIPE_TORCH:-}" ]; then
    "${pip[@]}" "$RAFT_RECIPE_TORCH"
  else
    "${pip[@]}" torch --index-url https://download.pytorch.org/whl/cpu
  fi
fi

# 3. Everything else.
"${pip[@]}" -r "$here/requirements.txt"
"$venv/bin/python" -c 'import torch, transformers, peft, trl, datasets, accelerate, onnx, onnxruntime; print("torch", torch.__version__, "transformers", transformers.__version__, "peft", peft.__version__, "trl", trl.__version__, "onnxruntime", onnxruntime.__version__)'
