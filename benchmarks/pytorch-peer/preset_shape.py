#!/usr/bin/env python3
"""Reads a nanolab preset (its YAML, with the same --set KEY=VALUE overrides given to `nanolab bench train`) and prints
the flags of the same shape, one per line, so the PyTorch peer's shape comes from the preset itself and the two cannot
drift: nanogpt_step.py's for a `gpt` preset, modern_step.py's for a `modern-gpt` one (whose switches must be the ones
the twin mirrors, speedrun-modern's; any other value is an error, not a silently different model).

usage: python preset_shape.py PRESET.yaml [--set KEY=VALUE ...] [--vocab N]
  --vocab: what `nanolab bench train --vocab` gets (the vocabulary of a trainable tokenizer, default 65); a preset's
  model.vocab_size, when set, wins over it, as in nanolab; tiktoken:gpt2 has 50257 tokens.

Uses PyYAML when the python has it, else a small parser of the subset nanolab's presets use (block mappings, flow
mappings and lists, scalars, comments).
"""
import argparse
import json
import math
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

# modern-gpt's defaults (ModernGptConfig(): modded-nanogpt's choices at a CPU size) and Adam's (Adam.Config()), for
# the keys a preset leaves out.
MODERN_DEFAULTS = {
    "model.n_layer": 6, "model.n_head": 4, "model.n_embd": 192, "model.block_size": 256, "model.vocab_size": 0,
    "model.dropout": 0.0, "model.bias": False, "model.norm": "rms", "model.norm_weight": False,
    "model.embed_norm": True, "model.rope": "half-truncated", "model.rope_base": 1024, "model.qk_norm": True,
    "model.attention_scale": 0.12, "model.mlp": "relu2", "model.mlp_hidden": 0, "model.untied_head": True,
    "model.zero_init_projections": True, "model.init": "modded", "model.value_embeds": 3, "model.unet_skips": True,
    "model.x0_lambdas": True, "model.softcap": "sigmoid", "model.softcap_value": 30.0, "model.window_pattern": "LSSL",
    "model.long_window": 0, "model.window_start": 0, "model.window_warmup_iters": 0, "model.window_block": 16,
    "model.document_boundary": -1, "model.attention": None, "model.embedding": None,
    "train.batch_size": 12, "train.gradient_accumulation_steps": 1, "train.grad_clip": 1.0,
    "optimizer.lr": 6e-4, "optimizer.beta1": 0.9, "optimizer.beta2": 0.999, "optimizer.eps": 1e-8,
    "optimizer.weight_decay": 0.0,
}
# The switches the twin (modern_step.py) implements, each at the one value it mirrors.
MODERN_MIRRORED = {
    "model.dropout": 0.0, "model.bias": False, "model.norm": "rms", "model.norm_weight": False,
    "model.embed_norm": True, "model.rope": "half-truncated", "model.qk_norm": True, "model.mlp": "relu2",
    "model.mlp_hidden": 0, "model.untied_head": True, "model.zero_init_projections": True, "model.init": "modded",
    "model.unet_skips": True, "model.x0_lambdas": True, "model.softcap": "sigmoid", "model.attention": "softmax",
    "model.embedding": "token",
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

def get(tree, dotted, defaults=DEFAULTS):
    node = tree
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return defaults.get(dotted)
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


def model_name(tree):
    return get(tree, "model.name") if isinstance(tree.get("model"), dict) else tree.get("model")


def preset_vocab(tree, vocab):
    """model.vocab_size when set, else the tokenizer's: a fixed one's size, or --vocab for a trainable one."""
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
    return v


def shape_flags(tree, vocab):
    model = model_name(tree)
    if model == "modern-gpt":
        return modern_flags(tree, vocab)
    if model not in (None, "gpt"):
        raise SystemExit(f"preset_shape: model {model!r} is neither nanoGPT's gpt nor modern-gpt; the PyTorch peer has "
                         f"only those")
    v = preset_vocab(tree, vocab)
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


def _switch(value):
    """A switch as nanolab binds it: enums case-blind with - or _, a component by its name, a bare off as false."""
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str):
        value = value.lower().replace("_", "-")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = float(value)
    return value


def modern_flags(tree, vocab):
    """modern_step.py's flags for a modern-gpt preset; an error for a switch the twin does not mirror."""
    def m(key):
        return get(tree, key, MODERN_DEFAULTS)

    for key, want in MODERN_MIRRORED.items():
        got = m(key)
        if got is None and key in ("model.attention", "model.embedding"):
            continue  # the default component: softmax, token
        if _switch(got) != _switch(want):
            raise SystemExit(f"preset_shape: {key}={got!r}: the modern-gpt twin mirrors only {want!r}")
    opt = tree.get("optimizer")
    opt_name = opt.get("name") if isinstance(opt, dict) else opt
    if opt_name != "adam":
        raise SystemExit(f"preset_shape: optimizer {opt_name!r}: the modern-gpt twin mirrors adam (with muon by "
                         f"param_groups)")
    v = preset_vocab(tree, vocab)
    n_embd, n_head = m("model.n_embd"), m("model.n_head")
    scale = m("model.attention_scale") or 1 / math.sqrt(n_embd // n_head)  # 0 = 1/sqrt(head size)
    groups = tree.get("param_groups")
    flags = [
        f"--n-layer={m('model.n_layer')}", f"--n-head={n_head}", f"--n-embd={n_embd}",
        f"--block-size={m('model.block_size')}",
        f"--batch={m('train.batch_size')}", f"--grad-accum={m('train.gradient_accumulation_steps')}",
        f"--vocab={v}",
        f"--rope-base={m('model.rope_base')}", f"--attention-scale={scale}",
        f"--value-embeds={m('model.value_embeds')}", f"--softcap={m('model.softcap_value')}",
        f"--window-pattern={m('model.window_pattern') or ''}", f"--long-window={m('model.long_window')}",
        f"--window-start={m('model.window_start')}", f"--window-warmup-iters={m('model.window_warmup_iters')}",
        f"--window-block={m('model.window_block')}", f"--document-boundary={m('model.document_boundary')}",
        f"--grad-clip={m('train.grad_clip')}",
        f"--lr={m('optimizer.lr')}", f"--beta1={m('optimizer.beta1')}", f"--beta2={m('optimizer.beta2')}",
        f"--eps={m('optimizer.eps')}", f"--weight-decay={m('optimizer.weight_decay')}",
    ]
    if groups:
        flags.append("--param-groups=" + json.dumps(groups, separators=(",", ":")))
    else:  # nanoGPT's grouping (decay: rank >= 2; no_decay: the rest), all Adam
        flags.append('--param-groups={"rules":[{"name":"decay","match":"*","min_rank":2},'
                     '{"name":"no_decay","match":"*","weight_decay":0}]}')
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
