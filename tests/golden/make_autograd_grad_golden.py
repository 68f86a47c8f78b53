"""PyTorch 2.6's torch.autograd.grad over random argument combinations on one small graph.

Leaves: a (2, 3), b (3,), c (0-d), u (2,), all requiring grad; n (3,) not requiring grad. Non-leaf: f = a * 2.
Outputs drawn from: s_ab = (a * b).sum(), v_ab = a * b (2, 3), s_f = f.sin().sum(), s_c = c * c, s_n = (n * 2).sum()
(no grad). Inputs drawn from a, b, c, u, n, f. grad_outputs: omitted, None entries, ones of the right shape, or a
wrong shape. Flags: allow_unused (True or omitted), materialize_grads, create_graph, retain_graph (True, False or
omitted). Each configuration runs on a fresh graph and is then called a second time with the same arguments, to see
what a freed graph does. Recorded per call: the exception class and first line, or each gradient (None or its values).

Writes tests/golden/autograd_grad.json. Run with a Python whose torch is 2.6 or newer (./build.sh golden).
"""
import random

import torch

import golden_io

SEED = 20261206
COUNT = 240


def graph():
    a = (torch.arange(6, dtype=torch.float64).reshape(2, 3) / 4 - 0.5).requires_grad_()
    b = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    c = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    u = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
    n = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    f = a * 2
    leaves = {"a": a, "b": b, "c": c, "u": u, "n": n, "f": f}
    outputs = {"s_ab": lambda: (a * b).sum(), "v_ab": lambda: a * b, "s_f": lambda: f.sin().sum(), "s_c": lambda: c * c, "s_n": lambda: (n * 2).sum()}
    return leaves, outputs


def draw(rng):
    outs = rng.sample(["s_ab", "v_ab", "s_f", "s_c"], rng.choice([1, 1, 2]))
    if rng.random() < 0.1:
        outs = rng.choice([["s_n"], outs + ["s_n"]])
    ins = rng.sample(["a", "b", "c", "u", "n", "f"], rng.randint(1, 3))
    if rng.random() < 0.5:
        ins = [i for i in ins if i not in ("u", "n")] or ["a"]
    go = rng.choice(["omit", "omit", "omit", "none", "ones", "ones", "wrong"])
    cfg = {"outputs": outs, "inputs": ins, "grad_outputs": go}
    if rng.random() < 0.4:
        cfg["allow_unused"] = True
    if rng.random() < 0.2:
        cfg["materialize_grads"] = True
        cfg.pop("allow_unused", None)
    if rng.random() < 0.3:
        cfg["create_graph"] = True
    r = rng.random()
    if r < 0.3:
        cfg["retain_graph"] = True
    elif r < 0.45:
        cfg["retain_graph"] = False
    return cfg


SHAPES = {"s_ab": [], "v_ab": [2, 3], "s_f": [], "s_c": [], "s_n": []}


def call(cfg, leaves, made):
    kwargs = {k: cfg[k] for k in ("allow_unused", "materialize_grads", "create_graph", "retain_graph") if k in cfg}
    go = cfg["grad_outputs"]
    if go == "none":
        kwargs["grad_outputs"] = [None] * len(made)
    elif go == "ones":
        kwargs["grad_outputs"] = [torch.ones(SHAPES[o], dtype=torch.float64) for o in cfg["outputs"]]
    elif go == "wrong":
        kwargs["grad_outputs"] = [torch.ones([2, 2], dtype=torch.float64) for _ in cfg["outputs"]]
    try:
        grads = torch.autograd.grad(made, [leaves[i] for i in cfg["inputs"]], **kwargs)
    except Exception as e:  # noqa: BLE001 - which exception is the point
        return {"error": type(e).__name__, "message": str(e).split("\n")[0]}
    return {"grads": [None if g is None else [float(v) for v in g.detach().flatten().tolist()] for g in grads]}


def main():
    rng = random.Random(SEED)
    rows = []
    for _ in range(COUNT):
        cfg = draw(rng)
        leaves, outputs = graph()
        made = [outputs[o]() for o in cfg["outputs"]]
        first = call(cfg, leaves, made)
        second = call(cfg, leaves, made)
        rows.append({"config": cfg, "first": first, "second": second})
    golden_io.write("autograd_grad.json", SEED, {"rows": rows})
    print(f"autograd_grad.json: {len(rows)} configurations, first call raises {sum('error' in r['first'] for r in rows)}, second {sum('error' in r['second'] for r in rows)}")


if __name__ == "__main__":
    main()
