"""Fine-tunes a chat model on a RAFT dataset exported by RAFT Playground (chat format), with LoRA.

    python recipes/finetune.py --train train.jsonl --eval test.jsonl \
        --base HuggingFaceTB/SmolLM2-360M-Instruct --out raft-smollm2-360m
    accelerate launch recipes/finetune.py ...      # same script, one GPU or several

Each line of the dataset is {"messages": [system, user, assistant]}. The last (assistant) message is the
completion: the loss is computed on it only, as in the RAFT paper, while the system and user messages (the
question with its oracle and distractor documents) are the prompt. At the end the LoRA adapter is merged
into the base weights and the merged model is saved with its tokenizer, ready for export_onnx.py.
"""

import argparse
import json
from pathlib import Path

import torch
from datasets import load_dataset
from peft import LoraConfig
from transformers import AutoModelForCausalLM, AutoTokenizer, set_seed
from trl import SFTConfig, SFTTrainer


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", required=True, help="train.jsonl from Dataset -> Export dataset (chat format)")
    parser.add_argument("--eval", help="optional held-out file (test.jsonl): its loss is printed after training")
    parser.add_argument("--base", required=True, help="base model: a Hugging Face id or a local folder")
    parser.add_argument("--out", required=True, help="folder for the merged model")
    parser.add_argument("--epochs", type=float, default=3, help="passes over the training set (default 3)")
    parser.add_argument("--max-steps", type=int, default=-1, help="stop after this many optimizer steps (overrides --epochs)")
    parser.add_argument("--lr", type=float, default=2e-4, help="learning rate, 1e-5..1e-3 (default 2e-4, usual for LoRA)")
    parser.add_argument("--rank", type=int, default=16, help="LoRA rank r, 4..64 (default 16); alpha is 2r")
    parser.add_argument("--batch-size", type=int, default=2, help="examples per device per step (default 2)")
    parser.add_argument("--grad-accum", type=int, default=4, help="gradient accumulation steps (default 4)")
    parser.add_argument("--max-length", type=int, default=2048, help="tokens per example; longer ones are cut (default 2048)")
    parser.add_argument("--lora-dropout", type=float, default=0.05, help="dropout on the adapters' input, 0..0.5 (default 0.05)")
    parser.add_argument("--init-adapter", help="a PEFT adapter folder to start from instead of fresh adapters (e.g. the app's, to compare trainers)")
    parser.add_argument("--log-file", help="write each step's loss, gradient norm and learning rate to this JSON file")
    parser.add_argument("--gradient-checkpointing", action="store_true", help="trade speed for GPU memory")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def to_prompt_completion(example: dict) -> dict:
    """Splits a chat into prompt (system + user) and completion (the final assistant answer)."""
    messages = example["messages"]
    if messages[-1]["role"] != "assistant":
        raise ValueError("Each example must end with an assistant message: export the dataset in chat format.")
    return {"prompt": messages[:-1], "completion": messages[-1:]}


def load_chats(path: str):
    dataset = load_dataset("json", data_files=path, split="train")
    return dataset.map(to_prompt_completion, remove_columns=dataset.column_names)


def inline_chat_template(folder: Path) -> None:
    """Moves the chat template into tokenizer_config.json, the only place transformers.js reads it from."""
    config_path, jinja_path = folder / "tokenizer_config.json", folder / "chat_template.jinja"
    config = json.loads(config_path.read_text())
    if "chat_template" not in config and jinja_path.exists():
        config["chat_template"] = jinja_path.read_text()
        config_path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")
    if "chat_template" not in config:
        raise SystemExit(f"{folder} has no chat template: pick an Instruct base model, which has one.")


def load_adapter_weights(model: torch.nn.Module, folder: Path) -> None:
    """Replaces the fresh adapters' weights with those saved in `folder` (adapter_model.safetensors, PEFT's names)."""
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    state = load_file(str(folder / "adapter_model.safetensors"))
    result = set_peft_model_state_dict(model, state)
    missing = [key for key in result.missing_keys if "lora_" in key]
    if missing or result.unexpected_keys:
        raise SystemExit(f"{folder} does not fit this model's adapters: missing {missing[:3]}, unexpected {result.unexpected_keys[:3]}")
    print(f"adapters loaded from {folder} ({len(state)} tensors)")


def main() -> None:
    args = parse_args()
    set_seed(args.seed)
    cuda = torch.cuda.is_available()
    bf16 = cuda and torch.cuda.is_bf16_supported()

    # 1. Tokenizer and base model. NOTE: T4s have no bf16: the weights stay float32 there and fp16 autocast
    # does the arithmetic (LoRA needs float32 master weights under fp16).
    tokenizer = AutoTokenizer.from_pretrained(args.base)
    if tokenizer.chat_template is None:
        raise SystemExit(f"{args.base} has no chat template: pick an Instruct model (SmolLM2-*-Instruct, Qwen2.5-*-Instruct).")
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(args.base, dtype=torch.bfloat16 if bf16 else torch.float32)

    # 2. Data: prompt/completion pairs, so only the answer is learned.
    train = load_chats(args.train)
    evaluation = load_chats(args.eval) if args.eval else None

    # 3. LoRA on every linear layer of the transformer blocks.
    lora = LoraConfig(r=args.rank, lora_alpha=2 * args.rank, lora_dropout=args.lora_dropout, target_modules="all-linear", task_type="CAUSAL_LM")
    config = SFTConfig(
        output_dir=str(Path(args.out) / "checkpoints"),
        num_train_epochs=args.epochs,
        max_steps=args.max_steps,
        learning_rate=args.lr,
        lr_scheduler_type="cosine",
        warmup_steps=0.05,  # a float below 1 is a fraction of all steps
        per_device_train_batch_size=args.batch_size,
        per_device_eval_batch_size=args.batch_size,
        gradient_accumulation_steps=args.grad_accum,
        gradient_checkpointing=args.gradient_checkpointing,
        max_length=args.max_length,
        bf16=bf16,
        fp16=cuda and not bf16,
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        seed=args.seed,
    )
    trainer = SFTTrainer(model=model, args=config, train_dataset=train, eval_dataset=evaluation, processing_class=tokenizer, peft_config=lora)
    if args.init_adapter:
        load_adapter_weights(trainer.model, Path(args.init_adapter))
    trainer.model.print_trainable_parameters()

    # 4. Train, then measure the held-out loss.
    trainer.train()
    if args.log_file:
        steps = [{k: entry[k] for k in ("step", "loss", "grad_norm", "learning_rate")} for entry in trainer.state.log_history if "loss" in entry]
        Path(args.log_file).write_text(json.dumps({"steps": steps}, indent=1) + "\n")
    if evaluation is not None:
        print(f"eval loss: {trainer.evaluate()['eval_loss']:.4f}")

    # 5. Merge the adapter into the base weights and save model + tokenizer (one process only).
    trainer.accelerator.wait_for_everyone()
    if trainer.accelerator.is_main_process:
        out = Path(args.out)
        merged = trainer.accelerator.unwrap_model(trainer.model).merge_and_unload()
        merged.save_pretrained(out)
        tokenizer.save_pretrained(out)
        inline_chat_template(out)
        checkpoints = out / "checkpoints"
        if checkpoints.is_dir() and not any(checkpoints.iterdir()):
            checkpoints.rmdir()  # save_strategy="no" leaves it empty
        print(f"merged model written to {out}")


if __name__ == "__main__":
    main()
