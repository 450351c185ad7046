"""Time one RiR expansion's actor call: batched over targets versus a per-target loop.

One state, G targets (5), n tactics per target (16), with a tiny random model on
the CPU: ByT5 (default), or a decoder-only GPT-2 / Qwen2 (`--model gpt2-tiny`,
`qwen2-tiny`), or any saved model (`--model PATH`, with `--prompt-format` and
`--generator vllm` for a causal LM on a GPU). The batched call is what
`ModelPolicy.act` does (one `generate` over all G actor inputs); the loop calls
`generate` once per target. Prints both times, their ratio (target: batched >= 2x
faster), expansions/s and generated tokens/s of the batched call.

    python benchmarks/generation_speed.py [--model gpt2-tiny] [--targets 5] [--tactics 16] [--repeats 3]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STATE = "a b c : ℕ\nh : a ≤ b\n⊢ a + c ≤ b + c"


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--targets", type=int, default=5, help="targets per state (G)")
    p.add_argument("--tactics", type=int, default=16, help="tactics per target (beam width)")
    p.add_argument("--repeats", type=int, default=3, help="timed runs of each; the median is reported")
    p.add_argument("--max-output-len", type=int, default=64,
                   help="output limit: an untrained model rarely stops before it")
    p.add_argument("--decoding", choices=("beam", "sample"), default="beam")
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    p.add_argument("--device", default="cpu")
    p.add_argument("--model", default="byt5-tiny",
                   help="byt5-tiny, gpt2-tiny, qwen2-tiny (random, 2 layers) or a model directory")
    p.add_argument("--prompt-format", default=None, help="a causal LM's prompt format (rir.prompt_formats)")
    p.add_argument("--generator", choices=("hf", "vllm"), default="hf")
    return p.parse_args(argv)


def build_model(args):
    """The generator under test and a counter of the tokens its generate calls produce."""
    from rir.causal_lm import tiny_causal_lm
    from rir.policy import PolicyModel, _load_model

    limits = dict(max_output_len=args.max_output_len)
    if args.model == "byt5-tiny":
        model = PolicyModel.tiny(seed=0, device=args.device, **limits)
    elif args.model in ("gpt2-tiny", "qwen2-tiny"):
        model = tiny_causal_lm(args.model.split("-")[0], device=args.device, prompt_format=args.prompt_format,
                               **limits)
    else:
        model = _load_model(Path(args.model), args.device, False, args.prompt_format, args.generator)
    return model, count_tokens(model)


def count_tokens(model) -> list[int]:
    """Wrap the HF model's generate to count generated tokens up to each row's EOS;
    for vLLM, count the tokens of the returned texts (its generate is not wrapped)."""
    counted = [0]
    hf = getattr(model, "model", None)
    if hf is None:
        real_generate = model.generate

        def counting_vllm(inputs, n, **kw):
            out = real_generate(inputs, n, **kw)
            counted[0] += sum(len(model.tokenizer(s.text).input_ids) + 1 for row in out for s in row)
            return out

        model.generate = counting_vllm
        return counted
    real = hf.generate
    eos = model.tokenizer.eos_token_id

    def counting(**kw):
        out = real(**kw)
        start = 1 if hf.config.is_encoder_decoder else kw["input_ids"].shape[1]
        for row in out.sequences[:, start:].tolist():
            counted[0] += row.index(eos) + 1 if eos in row else len(row)
        return out

    hf.generate = counting
    return counted


def median_seconds(fn, repeats: int) -> float:
    fn()  # warm-up: first-call allocations and kernel selection
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv=None) -> int:
    args = parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    model, tokens = build_model(args)
    inputs = [model.prompt("actor", STATE, f"a b c : ℕ\nh : a ≤ b\n⊢ a ≤ b  -- target {i}")
              for i in range(args.targets)]
    kw = dict(n=args.tactics, decoding=args.decoding, seed=0)

    model.generate(inputs, **kw)  # warm-up, then one counted call
    tokens[0] = 0
    model.generate(inputs, **kw)
    per_call = tokens[0]
    batched = median_seconds(lambda: model.generate(inputs, **kw), args.repeats)
    looped = median_seconds(lambda: [model.generate([x], **kw) for x in inputs], args.repeats)
    print(f"{args.model} ({type(model).__name__}, {args.generator}) on {model.device}, {args.threads} thread(s), "
          f"{args.decoding}: 1 state x {args.targets} targets x {args.tactics} tactics, "
          f"outputs <= {args.max_output_len} tokens")
    print(f"batched  (1 generate call):  {batched:.3f} s")
    print(f"per-target loop ({args.targets} calls): {looped:.3f} s")
    print(f"speed-up: {looped / batched:.2f}x")
    print(f"expansions/s (batched): {1 / batched:.2f}; generated tokens/s: {per_call / batched:.0f} "
          f"({per_call} tokens per expansion)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
