#!/usr/bin/env python3
"""Golden optimizer trajectories from PyTorch (>= 2.6) for TorchFacade's reference optimizers.

Random configurations over every option of every torch.optim optimizer (float32, float64, some complex64), with two
parameter groups, a frozen parameter (requires_grad False, never given a grad), a mid-run learning-rate change and a
gradient that is a deterministic function of the parameter (g = a*p + c_t*b, computed with the same LibTorch ops the
C# side uses), so the C# replay computes exactly the gradients PyTorch saw. Parameters and every state tensor are
recorded after every step. LBFGS runs on a smooth problem with a closure and records func_evals and n_iter.

Writes tests/golden/optim/optim_trajectories.npz and optim_configs.json. Run with /usr/bin/python3 (torch, numpy).
"""
import json
import os
import platform
import random

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim")
STEPS = 5
SIZES = [33, 3]  # 33: LibTorch's vector loop (2 vectors of 16 floats / 8 doubles ...) plus a scalar tail; 3: scalar only
FROZEN = 2
COEFFS = [1.0, -1.0, 0.5, 2.0, -0.25]
rng = random.Random(20260603)


def pick(*xs):
    return rng.choice(xs)


def betas():
    return pick((0.9, 0.999), (0.8, 0.99), (0.0, 0.5), (0.95, 0.9), (0.5, 0.0))


def common_flags(keys):
    d = {}
    if "foreach" in keys:
        d["foreach"] = pick(None, False)
    if "maximize" in keys:
        d["maximize"] = pick(False, True)
    return d


def options(name):
    wd = pick(0.0, 0.0, 1e-2, 0.3)
    if name == "SGD":
        momentum = pick(0.0, 0.9, 0.5)
        nesterov = momentum > 0 and pick(False, True)
        d = dict(lr=pick(1e-3, 0.1, 0.05), momentum=momentum, dampening=0.0 if nesterov else pick(0.0, 0.1, 0.5),
                 weight_decay=wd, nesterov=nesterov)
    elif name == "Adagrad":
        d = dict(lr=pick(1e-2, 0.1), lr_decay=pick(0.0, 0.01, 0.5), weight_decay=wd,
                 initial_accumulator_value=pick(0.0, 0.1, 1.0), eps=pick(1e-10, 1e-3))
    elif name == "RMSprop":
        d = dict(lr=pick(1e-2, 1e-3, 0.1), alpha=pick(0.99, 0.9, 0.0, 0.5), eps=pick(1e-8, 1e-3), weight_decay=wd,
                 momentum=pick(0.0, 0.9), centered=pick(False, True))
    elif name in ("Adam", "AdamW"):
        d = dict(lr=pick(1e-3, 0.1, 0.01), betas=betas(), eps=pick(1e-8, 1e-3), weight_decay=wd,
                 amsgrad=pick(False, True))
    elif name == "NAdam":
        d = dict(lr=pick(2e-3, 0.1), betas=betas(), eps=pick(1e-8, 1e-3), weight_decay=wd,
                 momentum_decay=pick(4e-3, 0.1, 0.0), decoupled_weight_decay=pick(False, True))
    elif name == "RAdam":
        d = dict(lr=pick(1e-3, 0.1), betas=pick((0.9, 0.999), (0.5, 0.6), (0.9, 0.5), (0.0, 0.3)), eps=pick(1e-8, 1e-3),
                 weight_decay=wd, decoupled_weight_decay=pick(False, True))
    elif name == "Adamax":
        d = dict(lr=pick(2e-3, 0.1), betas=betas(), eps=pick(1e-8, 1e-3), weight_decay=wd)
    elif name == "Adadelta":
        d = dict(lr=pick(1.0, 0.5, 0.1), rho=pick(0.9, 0.5, 0.0, 1.0), eps=pick(1e-6, 1e-3), weight_decay=wd)
    elif name == "ASGD":
        d = dict(lr=pick(1e-2, 0.1), lambd=pick(1e-4, 0.1), alpha=pick(0.75, 2.0), t0=pick(1e6, 1.0, 2.0), weight_decay=wd)
    elif name == "Rprop":
        d = dict(lr=pick(1e-2, 0.1), etas=pick((0.5, 1.2), (0.3, 2.0)), step_sizes=pick((1e-6, 50), (1e-3, 0.2)))
    else:
        raise ValueError(name)
    keys = torch.optim.__dict__[name]([torch.zeros(1, requires_grad=True)]).defaults.keys()
    d.update(common_flags(keys))
    return d


def make_params(dtype, gen):
    real = torch.float32 if dtype == torch.complex64 else dtype
    ps, coeffs = [], []
    for n in SIZES:
        p = (torch.rand(n, generator=gen, dtype=torch.float64) * 4 - 2)
        a = (torch.rand(n, generator=gen, dtype=torch.float64) * 2 - 0.5)
        b = (torch.rand(n, generator=gen, dtype=torch.float64) * 2 - 1)
        if dtype.is_complex:
            p = torch.complex(p, torch.rand(n, generator=gen, dtype=torch.float64) - 0.5)
            a = torch.complex(a, torch.zeros(n, dtype=torch.float64))
            b = torch.complex(b, torch.rand(n, generator=gen, dtype=torch.float64) - 0.5)
        ps.append(p.to(dtype))
        coeffs.append((a.to(dtype), b.to(dtype)))
    frozen = torch.linspace(-1, 1, FROZEN, dtype=torch.float64).to(dtype)
    return ps, coeffs, frozen


def flat_real(t):
    t = t.detach()
    if t.is_complex():
        t = torch.view_as_real(t)
    return t.reshape(-1).to(torch.float64).numpy()


def run(cfg_id, name, opts, dtype, two_groups, lr_change, arrays):
    gen = torch.Generator().manual_seed(1000 + cfg_id)
    p0, coeffs, frozen0 = make_params(dtype, gen)
    ps = [p.clone().requires_grad_(True) for p in p0]
    frozen = frozen0.clone()  # requires_grad False: accepted, skipped (grad stays None)
    group2 = {}
    if two_groups:
        group2 = {"lr": opts["lr"] * 0.5}
        if "weight_decay" in opts:
            group2["weight_decay"] = 0.05
        groups = [{"params": [ps[0], frozen]}, dict(params=[ps[1]], **group2)]
    else:
        groups = [{"params": [ps[0], ps[1], frozen]}]
    opt = getattr(torch.optim, name)(groups, **opts)
    rows = []
    layout = None
    for t in range(STEPS):
        if t == lr_change:
            for g in opt.param_groups:
                g["lr"] = g["lr"] * 0.25
        with torch.no_grad():
            for p, (a, b) in zip(ps, coeffs):
                p.grad = p.detach().mul(a).add(b, alpha=COEFFS[t])
        opt.step()
        row = [flat_real(p) for p in ps]
        lay = []
        for k, p in enumerate(ps):
            st = opt.state[p]
            for key in sorted(st.keys()):
                v = st[key]
                if isinstance(v, torch.Tensor):
                    row.append(flat_real(v))
                    lay.append([k, key, int(row[-1].size)])
        if layout is None:
            layout = lay
        assert lay == layout, (cfg_id, lay, layout)
        rows.append(np.concatenate(row))
    store = np.float32 if dtype in (torch.float32, torch.complex64) else np.float64
    arrays[f"c{cfg_id}.p0"] = np.concatenate([flat_real(p) for p in p0]).astype(store)
    arrays[f"c{cfg_id}.ab"] = np.concatenate([np.concatenate([flat_real(a), flat_real(b)]) for a, b in coeffs]).astype(store)
    arrays[f"c{cfg_id}.traj"] = np.stack(rows).astype(store)
    return dict(id=cfg_id, optimizer=name, options=opts, dtype=str(dtype).replace("torch.", ""), two_groups=two_groups,
                group2=group2, lr_change=lr_change, state=layout)


def lbfgs_loss(p, a, c):
    return ((p - c).pow(2) * a).sum() + 0.05 * p.pow(4).sum()


def run_lbfgs(cfg_id, dtype, opts, arrays):
    gen = torch.Generator().manual_seed(5000 + cfg_id)
    n = 8
    p0 = (torch.rand(n, generator=gen, dtype=torch.float64) * 4 - 2).to(dtype)
    a = (torch.rand(n, generator=gen, dtype=torch.float64) * 3 + 0.1).to(dtype)
    c = (torch.rand(n, generator=gen, dtype=torch.float64) * 2 - 1).to(dtype)
    p = p0.clone().requires_grad_(True)
    opt = torch.optim.LBFGS([p], **opts)

    def closure():
        opt.zero_grad()
        loss = lbfgs_loss(p, a, c)
        loss.backward()
        return loss

    rows, counts = [], []
    for _ in range(3):
        loss = opt.step(closure)
        st = opt.state[p]
        rows.append(np.concatenate([flat_real(p), [float(loss)]]))
        counts.append([st["func_evals"], st["n_iter"]])
    store = np.float32 if dtype == torch.float32 else np.float64
    arrays[f"l{cfg_id}.p0"] = flat_real(p0).astype(store)
    arrays[f"l{cfg_id}.ac"] = np.concatenate([flat_real(a), flat_real(c)]).astype(store)
    arrays[f"l{cfg_id}.traj"] = np.stack(rows).astype(store)
    return dict(id=cfg_id, optimizer="LBFGS", options=opts, dtype=str(dtype).replace("torch.", ""), counts=counts)


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    names = ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "NAdam", "RAdam", "Adamax", "Adadelta", "ASGD", "Rprop"]
    arrays, configs = {}, []
    cfg_id = 0
    for name in names:
        for k in range(30):
            dtype = [torch.float32, torch.float64][k % 2] if k < 27 else torch.complex64
            if name in ("SGD",) and dtype.is_complex:
                dtype = torch.complex64
            opts = options(name)
            configs.append(run(cfg_id, name, opts, dtype, two_groups=(k % 3 == 0), lr_change=pick(2, 3, 99), arrays=arrays))
            cfg_id += 1
    lbfgs = []
    for k in range(24):
        opts = dict(lr=pick(1.0, 0.5, 0.1), max_iter=pick(3, 5, 20), history_size=pick(2, 5, 100),
                    line_search_fn=pick(None, "strong_wolfe"), tolerance_grad=pick(1e-7, 1e-5), tolerance_change=pick(1e-9, 1e-6))
        if k % 4 == 0:
            opts["max_eval"] = pick(4, 10)
        lbfgs.append(run_lbfgs(k, [torch.float32, torch.float64][k % 2], opts, arrays))
    np.savez_compressed(os.path.join(OUT, "optim_trajectories.npz"), **arrays)
    with open(os.path.join(OUT, "optim_configs.json"), "w") as f:
        json.dump(dict(torch=torch.__version__, numpy=np.__version__, python=platform.python_version(), steps=STEPS, sizes=SIZES, frozen=FROZEN, coeffs=COEFFS,
                       configs=configs, lbfgs=lbfgs), f, indent=None, separators=(",", ":"))
    print(len(configs), "configurations,", len(lbfgs), "LBFGS runs")


if __name__ == "__main__":
    main()
