import math, torch
from transformers import GPT2LMHeadModel, AutoTokenizer
d = "/tmp/hfio-check/hf"
model = GPT2LMHeadModel.from_pretrained(d); tokenizer = AutoTokenizer.from_pretrained(d)
model.eval()
ids = tokenizer(open("/tmp/hfio-check/input.txt").read())["input_ids"][:2000]
block, nats, n = model.config.n_positions, 0.0, 0
with torch.no_grad():
    for at in range(0, len(ids) - 1, block):
        t = min(block, len(ids) - 1 - at)
        x = torch.tensor([ids[at:at + t]]); y = torch.tensor(ids[at + 1:at + 1 + t])
        logits = model(x).logits[0].double()
        nats += torch.nn.functional.cross_entropy(logits, y, reduction="sum").item(); n += t
print(f"transformers {__import__('transformers').__version__}, torch {torch.__version__}: loss {nats / n:.4f} over {n} tokens")
p = tokenizer("the of", return_tensors="pt")
out = model.generate(**p, max_new_tokens=20, do_sample=False)
print("greedy:", repr(tokenizer.decode(out[0])))
# logits of one window against a float64 recomputation from the exported tensors (independent of transformers)
from safetensors.numpy import load_file
import numpy as np
w = {k.removeprefix("transformer."): v.astype(np.float64) for k, v in load_file(d + "/model.safetensors").items()}
x = ids[:block]; C = w["wte.weight"].shape[1]; H = model.config.n_head; hs = C // H
def ln(a, g, b): m = a.mean(-1, keepdims=True); v = ((a - m) ** 2).mean(-1, keepdims=True); return (a - m) / np.sqrt(v + 1e-5) * g + b
gelu = lambda a: 0.5 * a * (1 + np.tanh(math.sqrt(2 / math.pi) * (a + 0.044715 * a ** 3)))
h = w["wte.weight"][x] + w["wpe.weight"][:len(x)]
for l in range(model.config.n_layer):
    p_ = f"h.{l}."
    qkv = ln(h, w[p_ + "ln_1.weight"], w[p_ + "ln_1.bias"]) @ w[p_ + "attn.c_attn.weight"] + w[p_ + "attn.c_attn.bias"]
    q, k, v = [qkv[:, i * C:(i + 1) * C].reshape(len(x), H, hs).transpose(1, 0, 2) for i in range(3)]
    s = q @ k.transpose(0, 2, 1) / math.sqrt(hs); s += np.triu(np.full((len(x), len(x)), -np.inf), 1)
    a = np.exp(s - s.max(-1, keepdims=True)); a /= a.sum(-1, keepdims=True)
    y = (a @ v).transpose(1, 0, 2).reshape(len(x), C)
    h = h + y @ w[p_ + "attn.c_proj.weight"] + w[p_ + "attn.c_proj.bias"]
    m = gelu(ln(h, w[p_ + "ln_2.weight"], w[p_ + "ln_2.bias"]) @ w[p_ + "mlp.c_fc.weight"] + w[p_ + "mlp.c_fc.bias"])
    h = h + m @ w[p_ + "mlp.c_proj.weight"] + w[p_ + "mlp.c_proj.bias"]
ref = ln(h, w["ln_f.weight"], w["ln_f.bias"]) @ w["wte.weight"].T
with torch.no_grad(): hf = model(torch.tensor([x])).logits[0].double().numpy()
print(f"max |transformers - float64 reference| over {ref.size} logits: {np.abs(hf - ref).max():.2e}")
