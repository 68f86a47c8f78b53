"""PyTorch 2.6's tensor hooks and retain_grad over random registration sequences on one small graph.

Leaves a, b (3,); non-leaves x = a * b, y = x.sin(), w = y * a; loss = w.sum() + (x * x).sum(). A configuration is a
sequence of one to six operations: retain_grad() on a tensor (a leaf included, where it does nothing), register_hook
on a tensor with a hook that counts its calls and returns the gradient times a factor or None (keep it), or remove a
hook registered earlier; then one or two loss.backward(retain_graph=True) passes. Recorded: every tensor's .grad
afterwards (None where PyTorch keeps none) and each hook's number of calls.

Writes tests/golden/hooks.json. Run with a Python whose torch is 2.6 or newer (./build.sh golden).
"""
import random
import warnings

import torch

import golden_io

SEED = 20261207
COUNT = 150
NAMES = ["a", "b", "x", "y", "w"]
FACTORS = [None, None, 2.0, -0.5, 0.0, 3.0]


def draw(rng):
    ops, hooks = [], 0
    for _ in range(rng.randint(1, 6)):
        r = rng.random()
        if r < 0.3:
            ops.append({"op": "retain", "tensor": rng.choice(NAMES)})
        elif r < 0.85 or hooks == 0:
            ops.append({"op": "hook", "tensor": rng.choice(NAMES), "factor": rng.choice(FACTORS), "id": hooks})
            hooks += 1
        else:
            ops.append({"op": "remove", "id": rng.randrange(hooks)})
    return {"ops": ops, "backwards": rng.choice([1, 1, 2])}


def run(cfg):
    a = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([1.5, 0.25, -0.75], dtype=torch.float64, requires_grad=True)
    x = a * b
    y = x.sin()
    w = y * a
    tensors = {"a": a, "b": b, "x": x, "y": y, "w": w}
    calls, handles = {}, {}
    for op in cfg["ops"]:
        if op["op"] == "retain":
            tensors[op["tensor"]].retain_grad()
        elif op["op"] == "hook":
            def hook(g, k=op["factor"], i=op["id"]):
                calls[i] = calls.get(i, 0) + 1
                return None if k is None else g * k
            handles[op["id"]] = tensors[op["tensor"]].register_hook(hook)
        else:
            handles[op["id"]].remove()
    loss = w.sum() + (x * x).sum()
    for _ in range(cfg["backwards"]):
        loss.backward(retain_graph=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        grads = {n: None if t.grad is None else [float(v) for v in t.grad.tolist()] for n, t in tensors.items()}
    hooks = sum(1 for op in cfg["ops"] if op["op"] == "hook")
    return {"grads": grads, "calls": [calls.get(i, 0) for i in range(hooks)]}


def main():
    rng = random.Random(SEED)
    rows = []
    for _ in range(COUNT):
        cfg = draw(rng)
        rows.append({"config": cfg, **run(cfg)})
    golden_io.write("hooks.json", SEED, {"rows": rows})
    print(f"hooks.json: {len(rows)} configurations")


if __name__ == "__main__":
    main()
