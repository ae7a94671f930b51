#!/usr/bin/env python3
"""Reads a nanolab preset (its YAML, with the same --set KEY=VALUE overrides given to `nanolab bench train`) and prints
the nanogpt_step.py flags of the same shape, one per line, so the PyTorch peer's shape comes from the preset itself and
the two cannot drift.

usage: python preset_shape.py PRESET.yaml [--set KEY=VALUE ...] [--vocab N]
  --vocab: what `nanolab bench train --vocab` gets (the vocabulary of a trainable tokenizer, default 65); a preset's
  model.vocab_size, when set, wins over it, as in nanolab; tiktoken:gpt2 has 50257 tokens.

Uses PyYAML when the python has it, else a small parser of the subset nanolab's presets use (block mappings, flow
mappings and lists, scalars, comments).
"""
import argparse
import re
import sys

# Known fixed vocabularies of non-trainable tokenizers (bench train asks the tokenizer for its size).
FIXED_VOCAB = {"tiktoken:gpt2": 50257, "tiktoken:r50k_base": 50257, "tiktoken:p50k_base": 50281,
               "tiktoken:cl100k_base": 100277, "byte": 256}
TRAINABLE = {"char", "bpe", "sentencepiece", "unigram", "wordpiece"}

# nanolab's defaults (TrainConfig(), GptConfig(): nanoGPT's train.py and GPTConfig; AdamW: nanoGPT's train.py)
DEFAULTS = {
    "model.n_layer": 12, "model.n_head": 12, "model.n_embd": 768, "model.block_size": 1024, "model.vocab_size": 0,
    "model.dropout": 0.0, "model.bias": True,
    "train.batch_size": 12, "train.gradient_accumulation_steps": 1, "train.grad_clip": 1.0,
    "optimizer.lr": 6e-4, "optimizer.beta1": 0.9, "optimizer.beta2": 0.95, "optimizer.weight_decay": 0.1,
}


# --- a tiny YAML subset parser ---------------------------------------------------------------------------------------

def _scalar(s):
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return s[1:-1]
    low = s.lower()
    if low in ("true", "yes", "on"):
        return True
    if low in ("false", "no", "off"):
        return False
    if low in ("null", "~", ""):
        return None
    if re.fullmatch(r"[-+]?\d+", s):
        return int(s)
    if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", s):
        return float(s)
    return s


def _strip_comment(line):
    out, quote = [], None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        out.append(ch)
    return "".join(out).rstrip()


def _split_top(s, sep=","):
    parts, depth, quote, cur = [], 0, None, []
    for ch in s:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur))
    return parts


def _flow(s):
    s = s.strip()
    if s.startswith("{") and s.endswith("}"):
        d = {}
        for item in _split_top(s[1:-1]):
            k, _, v = item.partition(":")
            d[k.strip()] = _flow(v)
        return d
    if s.startswith("[") and s.endswith("]"):
        return [_flow(x) for x in _split_top(s[1:-1])]
    return _scalar(s)


def tiny_yaml(text):
    """Block mappings (nested by indentation), flow {..}/[..] values, '- ' lists of scalars or flow maps."""
    lines = []
    for raw in text.splitlines():
        line = _strip_comment(raw)
        if line.strip():
            lines.append((len(line) - len(line.lstrip(" ")), line.strip()))
    root = {}
    stack = [(-1, root)]  # (indent, container)
    for i, (ind, body) in enumerate(lines):
        while stack[-1][0] >= ind:
            stack.pop()
        parent = stack[-1][1]
        if body.startswith("- "):
            if isinstance(parent, list):
                parent.append(_flow(body[2:]))
            continue
        key, _, val = body.partition(":")
        key = key.strip()
        if val.strip():
            parent[key] = _flow(val)
        else:
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            child = [] if nxt and nxt[0] > ind and nxt[1].startswith("- ") else {}
            parent[key] = child
            stack.append((ind, child))
    return root


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        import yaml  # PyYAML
        return yaml.safe_load(text) or {}, "pyyaml"
    except ImportError:
        return tiny_yaml(text), "tiny-parser"


# --- the shape ---------------------------------------------------------------------------------------------------------

def get(tree, dotted):
    node = tree
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return DEFAULTS.get(dotted)
        node = node[part]
    return node


def put(tree, dotted, value):
    parts = dotted.split(".")
    node = tree
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {} if node.get(part) is None or not isinstance(node.get(part), str) else {"name": node[part]}
        node = node[part]
    node[parts[-1]] = value


def shape_flags(tree, vocab):
    model = get(tree, "model.name") if isinstance(tree.get("model"), dict) else tree.get("model")
    if model not in (None, "gpt"):
        raise SystemExit(f"preset_shape: model {model!r} is not nanoGPT's gpt; the PyTorch peer has only that model")
    tok = tree.get("tokenizer")
    tok_name = tok.get("name") if isinstance(tok, dict) else tok
    v = get(tree, "model.vocab_size") or 0
    if not v:
        if tok_name in FIXED_VOCAB:
            v = FIXED_VOCAB[tok_name]
        else:
            if tok_name not in TRAINABLE:
                print(f"preset_shape: unknown tokenizer {tok_name!r}, taking --vocab {vocab}", file=sys.stderr)
            v = vocab
    flags = [
        f"--n-layer={get(tree, 'model.n_layer')}", f"--n-head={get(tree, 'model.n_head')}",
        f"--n-embd={get(tree, 'model.n_embd')}", f"--block-size={get(tree, 'model.block_size')}",
        f"--batch={get(tree, 'train.batch_size')}",
        f"--grad-accum={get(tree, 'train.gradient_accumulation_steps')}",
        f"--vocab={v}",
        "--bias" if get(tree, "model.bias") else "--no-bias",
        f"--dropout={get(tree, 'model.dropout')}",
        f"--grad-clip={get(tree, 'train.grad_clip')}",
        f"--lr={get(tree, 'optimizer.lr')}", f"--beta1={get(tree, 'optimizer.beta1')}",
        f"--beta2={get(tree, 'optimizer.beta2')}", f"--weight-decay={get(tree, 'optimizer.weight_decay')}",
    ]
    return flags


def main():
    p = argparse.ArgumentParser()
    p.add_argument("preset")
    p.add_argument("--set", "-s", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--vocab", type=int, default=65)
    p.add_argument("--which-parser", action="store_true", help="print pyyaml or tiny-parser and exit")
    a = p.parse_args()
    tree, parser = load_yaml(a.preset)
    if a.which_parser:
        print(parser)
        return
    for kv in a.set:
        k, eq, v = kv.partition("=")
        if not eq:
            raise SystemExit(f"preset_shape: --set wants KEY=VALUE, got {kv!r}")
        put(tree, k.strip(), _flow(v))
    print("\n".join(shape_flags(tree, a.vocab)))


if __name__ == "__main__":
    main()
