#!/usr/bin/env python3
"""Golden learning-rate trajectories of PyTorch's 15 schedulers, for TorchFacade.Optim.LrScheduler.

Run with PyTorch 2.6: /usr/bin/python3 tests/golden/make_sched_golden.py
Writes tests/golden/schedulers.json: random scheduler configurations (every scheduler, every option, one to three
parameter groups, SGD with momentum or Adam for momentum cycling), and for each one the lr (and momentum / beta1)
of every group after construction and after every step, the warnings PyTorch emitted, a state_dict/load_state_dict
resume in the middle of the run, and the final state dict with Python types kept. Bad arguments are recorded with
PyTorch's exception type and message.
"""
import json
import math
import random
import sys
import warnings

import numpy
import torch
from torch.optim import lr_scheduler as L

SEED = 20260412
OUT = "tests/golden/schedulers.json"


def enc(v):
    """A Python value with its type: ints, floats (repr, so exact), bools, strs, None, lists, dicts."""
    if v is None:
        return None
    if isinstance(v, bool):
        return {"b": v}
    if isinstance(v, int):
        return {"i": v}
    if isinstance(v, float):
        return {"f": repr(v)}
    if isinstance(v, str):
        return {"s": v}
    if isinstance(v, (list, tuple)):
        return {"l": [enc(x) for x in v]}
    if isinstance(v, dict):
        return {"d": [[enc(k), enc(x)] for k, x in v.items()]}
    raise TypeError(type(v))


# The lambdas and scale functions, by name: the C# tests build the same expressions.
def make_lambda(spec):
    k = spec["kind"]
    if k == "pow":
        g = spec["g"]
        return lambda e: g ** e
    if k == "inv":
        a = spec["a"]
        return lambda e: 1.0 / (1.0 + a * e)
    if k == "stair":
        s, g = spec["s"], spec["g"]
        return lambda e: g ** (e // s)
    if k == "const":
        c = spec["c"]
        return lambda e: c
    if k == "alt":
        return lambda e: 0.9 if e % 2 else 1.05
    raise ValueError(k)


def make_scale(spec):
    k = spec["kind"]
    if k == "halfpow":
        return lambda x: 0.5 ** x
    if k == "inv":
        a = spec["a"]
        return lambda x: 1.0 / (1.0 + a * x)
    raise ValueError(k)


def make_optimizer(cfg):
    groups = []
    for g in cfg["groups"]:
        p = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
        d = {"params": [p], "lr": g["lr"]}
        if "initial_lr" in g:
            d["initial_lr"] = g["initial_lr"]
        groups.append(d)
    kind = cfg["optimizer"]
    if kind == "sgd":
        return torch.optim.SGD(groups, lr=0.1, momentum=0.9)
    if kind == "adam":
        return torch.optim.Adam(groups, lr=0.1, betas=(0.9, 0.999))
    if kind == "adagrad":
        return torch.optim.Adagrad(groups, lr=0.1)
    raise ValueError(kind)


def per_group(v):
    return v  # float or list, as given


def build(spec, opt):
    """One scheduler from its spec (kind + PyTorch keyword arguments)."""
    k = spec["kind"]
    a = dict(spec.get("args", {}))
    if k in ("LambdaLR", "MultiplicativeLR"):
        lam = a.pop("lr_lambda")
        fn = [make_lambda(x) for x in lam] if isinstance(lam, list) else make_lambda(lam)
        return getattr(L, k)(opt, fn, **a)
    if k == "CyclicLR" and "scale_fn" in a:
        a["scale_fn"] = make_scale(a["scale_fn"])
    if k == "SequentialLR":
        children = [build(c, opt) for c in a.pop("schedulers")]
        return L.SequentialLR(opt, children, **a)
    if k == "ChainedScheduler":
        children = [build(c, opt) for c in a.pop("schedulers")]
        return L.ChainedScheduler(children, **({"optimizer": opt} if a.pop("pass_optimizer", False) else {}))
    return getattr(L, k)(opt, **a)


def momentum_of(opt):
    out = []
    for g in opt.param_groups:
        out.append(g["betas"][0] if "betas" in g else g.get("momentum", 0.0))
    return out


def snapshot(opt, sched):
    """[lr of each group, momentum (or beta1) of each group, last_epoch]; get_last_lr() is checked against lr."""
    last = [float(x) for x in sched.get_last_lr()]
    lrs = [float(g["lr"]) for g in opt.param_groups]
    assert last == lrs, (last, lrs)
    return [lrs, [float(x) for x in momentum_of(opt)], getattr(sched, "last_epoch", None)]


def step(sched, cfg, i):
    if cfg["scheduler"]["kind"] == "ReduceLROnPlateau":
        sched.step(cfg["metrics"][i])
    else:
        sched.step()


def run(cfg):
    rec = {"id": cfg["id"], "config": cfg}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            opt = make_optimizer(cfg)
            sched = build(cfg["scheduler"], opt)
        except Exception as e:  # noqa: BLE001 - the error is the golden
            rec["error"] = {"type": type(e).__name__, "message": str(e.args[0]) if e.args else str(e), "at": "init"}
            return rec
        traj = [snapshot(opt, sched)]
        resume = cfg.get("resume_at")
        try:
            for i in range(cfg["steps"]):
                if not (cfg.get("sched_first") and i == 0):
                    opt.step()
                step(sched, cfg, i)
                if cfg.get("sched_first") and i == 0:
                    opt.step()
                traj.append(snapshot(opt, sched))
                if resume is not None and i + 1 == resume:
                    saved_sched = sched.state_dict()
                    rec["resume_state"] = enc(saved_sched)
                    rec["resume_groups"] = [enc({k: v for k, v in g.items() if k != "params"}) for g in opt.param_groups]
                    saved_opt = opt.state_dict()
                    opt = make_optimizer(cfg)
                    sched = build(cfg["scheduler"], opt)
                    opt.load_state_dict(saved_opt)
                    sched.load_state_dict(saved_sched)
        except Exception as e:  # noqa: BLE001
            rec["error"] = {"type": type(e).__name__, "message": str(e.args[0]) if e.args else str(e), "at": "step", "after": len(traj) - 1}
        rec["trajectory"] = traj
        rec["state"] = enc(sched.state_dict())
    rec["warnings"] = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    return rec


R = random.Random(SEED)


def rf(lo, hi):
    return round(R.uniform(lo, hi), R.choice([3, 6, 17]))


def lam_spec():
    return R.choice([
        {"kind": "pow", "g": rf(0.8, 0.99)},
        {"kind": "inv", "a": rf(0.01, 0.5)},
        {"kind": "stair", "s": R.randint(1, 5), "g": rf(0.3, 0.9)},
    ])


def mul_spec():
    return R.choice([{"kind": "const", "c": rf(0.8, 0.99)}, {"kind": "alt"}, {"kind": "pow", "g": rf(0.95, 1.0)}])


def pg(n, lo, hi):
    """A float for all groups or a list of one per group."""
    return rf(lo, hi) if R.random() < 0.5 else [rf(lo, hi) for _ in range(n)]


def chainable(kind, n, steps):
    a = {}
    if kind == "LambdaLR":
        a["lr_lambda"] = lam_spec() if R.random() < 0.5 else [lam_spec() for _ in range(n)]
    elif kind == "MultiplicativeLR":
        a["lr_lambda"] = mul_spec() if R.random() < 0.5 else [mul_spec() for _ in range(n)]
    elif kind == "StepLR":
        a["step_size"] = R.randint(1, 7)
        if R.random() < 0.7:
            a["gamma"] = rf(0.1, 0.9)
    elif kind == "MultiStepLR":
        a["milestones"] = sorted(R.sample(range(1, steps + 3), R.randint(1, 4)))
        if R.random() < 0.3:
            a["milestones"].append(a["milestones"][-1])  # a repeated milestone: gamma squared
        if R.random() < 0.7:
            a["gamma"] = rf(0.1, 0.9)
    elif kind == "ConstantLR":
        if R.random() < 0.7:
            a["factor"] = rf(0.05, 1.0)
        if R.random() < 0.7:
            a["total_iters"] = R.randint(0, 10)
    elif kind == "LinearLR":
        if R.random() < 0.7:
            a["start_factor"] = rf(0.05, 1.0)
        if R.random() < 0.7:
            a["end_factor"] = rf(0.0, 1.0)
        if R.random() < 0.7:
            a["total_iters"] = R.randint(1, 12)
    elif kind == "ExponentialLR":
        a["gamma"] = rf(0.7, 0.999)
    elif kind == "PolynomialLR":
        if R.random() < 0.7:
            a["total_iters"] = R.randint(1, 15)
        if R.random() < 0.7:
            a["power"] = rf(0.3, 3.0)
    elif kind == "CosineAnnealingLR":
        a["T_max"] = R.randint(1, 15)
        if R.random() < 0.6:
            a["eta_min"] = rf(0.0, 1e-3)
    elif kind == "CosineAnnealingWarmRestarts":
        a["T_0"] = R.randint(1, 8)
        if R.random() < 0.6:
            a["T_mult"] = R.randint(1, 3)
        if R.random() < 0.6:
            a["eta_min"] = rf(0.0, 1e-3)
    return {"kind": kind, "args": a}


CHAINABLE = ["LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR",
             "PolynomialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts"]


def cyclic(n, opt):
    a = {"base_lr": pg(n, 1e-4, 1e-2), "max_lr": pg(n, 0.02, 0.5)}
    if R.random() < 0.8:
        a["step_size_up"] = R.randint(1, 8)
    if R.random() < 0.5:
        a["step_size_down"] = R.randint(1, 8)
    a["mode"] = R.choice(["triangular", "triangular2", "exp_range"])
    if a["mode"] == "exp_range" or R.random() < 0.2:
        a["gamma"] = rf(0.8, 0.999)
    if R.random() < 0.2:
        a["scale_fn"] = R.choice([{"kind": "halfpow"}, {"kind": "inv", "a": rf(0.05, 0.5)}])
        a["scale_mode"] = R.choice(["cycle", "iterations"])
    a["cycle_momentum"] = R.random() < 0.8
    if a["cycle_momentum"] and R.random() < 0.5:
        a["base_momentum"] = pg(n, 0.5, 0.8)
        a["max_momentum"] = pg(n, 0.85, 0.95)
    return {"kind": "CyclicLR", "args": a}


def onecycle(n, steps):
    a = {"max_lr": pg(n, 0.01, 1.0)}
    if R.random() < 0.7:
        a["total_steps"] = steps + R.randint(0, 5)
    else:
        a["epochs"] = R.randint(1, 4)
        a["steps_per_epoch"] = (steps + a["epochs"]) // a["epochs"] + R.randint(0, 2)
    if R.random() < 0.6:
        a["pct_start"] = rf(0.1, 0.6)
    a["anneal_strategy"] = R.choice(["cos", "linear"])
    a["cycle_momentum"] = R.random() < 0.8
    if a["cycle_momentum"] and R.random() < 0.5:
        a["base_momentum"] = pg(n, 0.7, 0.85)
        a["max_momentum"] = pg(n, 0.9, 0.97)
    if R.random() < 0.5:
        a["div_factor"] = rf(5, 50)
    if R.random() < 0.5:
        a["final_div_factor"] = rf(10, 1e4)
    a["three_phase"] = R.random() < 0.4
    return {"kind": "OneCycleLR", "args": a}


def plateau(n):
    a = {}
    if R.random() < 0.5:
        a["mode"] = R.choice(["min", "max"])
    if R.random() < 0.7:
        a["factor"] = rf(0.1, 0.9)
    a["patience"] = R.randint(0, 4)
    if R.random() < 0.5:
        a["threshold"] = rf(1e-4, 0.1)
    if R.random() < 0.5:
        a["threshold_mode"] = R.choice(["rel", "abs"])
    if R.random() < 0.5:
        a["cooldown"] = R.randint(0, 3)
    if R.random() < 0.5:
        a["min_lr"] = pg(n, 1e-4, 5e-3)
    if R.random() < 0.3:
        a["eps"] = rf(1e-9, 1e-3)
    return {"kind": "ReduceLROnPlateau", "args": a}


def metrics(steps):
    m, out = 1.0, []
    for _ in range(steps):
        m = m * R.choice([0.9, 0.97, 1.0, 1.0, 1.02, 1.1]) + R.choice([0.0, 0.0, 1e-3, -1e-3])
        out.append(round(m, 6))
    return out


def config(i, kind):
    n = R.randint(1, 3)
    steps = R.randint(12, 40)
    cfg = {"id": f"{i:03d}-{kind}", "groups": [{"lr": rf(0.001, 0.5)} for _ in range(n)], "steps": steps,
           "optimizer": R.choice(["sgd", "adam"])}
    if kind in CHAINABLE:
        cfg["scheduler"] = chainable(kind, n, steps)
    elif kind == "CyclicLR":
        cfg["scheduler"] = cyclic(n, cfg["optimizer"])
    elif kind == "OneCycleLR":
        cfg["scheduler"] = onecycle(n, steps)
    elif kind == "ReduceLROnPlateau":
        cfg["scheduler"] = plateau(n)
        cfg["metrics"] = metrics(steps)
    elif kind == "SequentialLR":
        k = R.randint(2, 3)
        children = [chainable(R.choice(CHAINABLE), n, steps) for _ in range(k)]
        if R.random() < 0.2:
            children[R.randrange(k)] = R.choice([cyclic(n, cfg["optimizer"]), onecycle(n, steps)])
        ms = sorted(R.sample(range(1, steps), k - 1))
        cfg["scheduler"] = {"kind": "SequentialLR", "args": {"schedulers": children, "milestones": ms}}
    elif kind == "ChainedScheduler":
        k = R.randint(2, 3)
        children = [chainable(R.choice(CHAINABLE), n, steps) for _ in range(k)]
        cfg["scheduler"] = {"kind": "ChainedScheduler", "args": {"schedulers": children, "pass_optimizer": R.random() < 0.5}}
    if R.random() < 0.4:
        cfg["resume_at"] = R.randint(1, steps - 1)
    if R.random() < 0.15:
        cfg["sched_first"] = True
    if kind in CHAINABLE and R.random() < 0.15:
        # Resume from a checkpoint epoch: groups already hold initial_lr.
        for g in cfg["groups"]:
            g["initial_lr"] = rf(0.001, 0.5)
        cfg["scheduler"]["args"]["last_epoch"] = R.randint(0, 10)
    return cfg


ALL = CHAINABLE + ["CyclicLR", "OneCycleLR", "ReduceLROnPlateau", "SequentialLR", "ChainedScheduler"]


def error_configs():
    """Arguments PyTorch refuses, one per check."""
    one = [{"lr": 0.1}]
    two = [{"lr": 0.1}, {"lr": 0.05}]
    E = [
        ("ConstantLR-factor", one, {"kind": "ConstantLR", "args": {"factor": 1.5}}),
        ("ConstantLR-negative", one, {"kind": "ConstantLR", "args": {"factor": -0.1}}),
        ("LinearLR-start", one, {"kind": "LinearLR", "args": {"start_factor": 0.0}}),
        ("LinearLR-end", one, {"kind": "LinearLR", "args": {"end_factor": 1.5}}),
        ("LambdaLR-count", two, {"kind": "LambdaLR", "args": {"lr_lambda": [{"kind": "pow", "g": 0.9}]}}),
        ("MultiplicativeLR-count", two, {"kind": "MultiplicativeLR", "args": {"lr_lambda": [{"kind": "alt"}] * 3}}),
        ("CAWR-T0", one, {"kind": "CosineAnnealingWarmRestarts", "args": {"T_0": 0}}),
        ("CAWR-Tmult", one, {"kind": "CosineAnnealingWarmRestarts", "args": {"T_0": 3, "T_mult": 0}}),
        ("CyclicLR-mode", one, {"kind": "CyclicLR", "args": {"base_lr": 0.01, "max_lr": 0.1, "mode": "square"}}),
        ("CyclicLR-baselen", two, {"kind": "CyclicLR", "args": {"base_lr": [0.01], "max_lr": 0.1}}),
        ("CyclicLR-maxlen", two, {"kind": "CyclicLR", "args": {"base_lr": 0.01, "max_lr": [0.1, 0.2, 0.3]}}),
        ("CyclicLR-momentumlen", two, {"kind": "CyclicLR", "args": {"base_lr": 0.01, "max_lr": 0.1, "base_momentum": [0.8]}}),
        ("CyclicLR-zero", one, {"kind": "CyclicLR", "args": {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 0}}),
        ("OneCycleLR-total", one, {"kind": "OneCycleLR", "args": {"max_lr": 0.1, "total_steps": 0}}),
        ("OneCycleLR-none", one, {"kind": "OneCycleLR", "args": {"max_lr": 0.1}}),
        ("OneCycleLR-epochs", one, {"kind": "OneCycleLR", "args": {"max_lr": 0.1, "epochs": 0, "steps_per_epoch": 3}}),
        ("OneCycleLR-spe", one, {"kind": "OneCycleLR", "args": {"max_lr": 0.1, "epochs": 2, "steps_per_epoch": -1}}),
        ("OneCycleLR-pct", one, {"kind": "OneCycleLR", "args": {"max_lr": 0.1, "total_steps": 10, "pct_start": 1.5}}),
        ("OneCycleLR-anneal", one, {"kind": "OneCycleLR", "args": {"max_lr": 0.1, "total_steps": 10, "anneal_strategy": "exp"}}),
        ("OneCycleLR-maxlen", two, {"kind": "OneCycleLR", "args": {"max_lr": [0.1], "total_steps": 10}}),
        ("Plateau-factor", one, {"kind": "ReduceLROnPlateau", "args": {"factor": 1.0}}),
        ("Plateau-mode", one, {"kind": "ReduceLROnPlateau", "args": {"mode": "up"}}),
        ("Plateau-threshold-mode", one, {"kind": "ReduceLROnPlateau", "args": {"threshold_mode": "pct"}}),
        ("Plateau-minlr", two, {"kind": "ReduceLROnPlateau", "args": {"min_lr": [0.1, 0.2, 0.3]}}),
        ("SequentialLR-empty", one, {"kind": "SequentialLR", "args": {"schedulers": [], "milestones": []}}),
        ("SequentialLR-milestones", one, {"kind": "SequentialLR", "args": {"schedulers": [{"kind": "ExponentialLR", "args": {"gamma": 0.9}}, {"kind": "StepLR", "args": {"step_size": 2}}], "milestones": [2, 4]}}),
        ("SequentialLR-plateau", one, {"kind": "SequentialLR", "args": {"schedulers": [{"kind": "ExponentialLR", "args": {"gamma": 0.9}}, {"kind": "ReduceLROnPlateau", "args": {}}], "milestones": [2]}}),
        ("ChainedScheduler-empty", one, {"kind": "ChainedScheduler", "args": {"schedulers": []}}),
        ("ChainedScheduler-plateau", one, {"kind": "ChainedScheduler", "args": {"schedulers": [{"kind": "ReduceLROnPlateau", "args": {}}]}}),
        ("resume-without-initial-lr", two, {"kind": "StepLR", "args": {"step_size": 2, "last_epoch": 3}}),
    ]
    out = []
    for name, groups, sched in E:
        out.append({"id": f"error-{name}", "groups": groups, "steps": 3, "optimizer": "sgd", "scheduler": sched})
    out.append({"id": "error-CyclicLR-nomomentum", "groups": [{"lr": 0.1}], "steps": 3, "optimizer": "adagrad",
                "scheduler": {"kind": "CyclicLR", "args": {"base_lr": 0.01, "max_lr": 0.1}}})
    out.append({"id": "error-OneCycleLR-nomomentum", "groups": [{"lr": 0.1}], "steps": 3, "optimizer": "adagrad",
                "scheduler": {"kind": "OneCycleLR", "args": {"max_lr": 0.1, "total_steps": 5}}})
    # Errors while stepping: past OneCycleLR's total steps, a division by zero in the recursive form.
    out.append({"id": "error-OneCycleLR-overstep", "groups": [{"lr": 0.1}], "steps": 8, "optimizer": "sgd",
                "scheduler": {"kind": "OneCycleLR", "args": {"max_lr": 0.1, "total_steps": 5}}})
    out.append({"id": "error-StepLR-zero", "groups": [{"lr": 0.1}], "steps": 3, "optimizer": "sgd",
                "scheduler": {"kind": "StepLR", "args": {"step_size": 0}}})
    out.append({"id": "error-ConstantLR-zero-factor", "groups": [{"lr": 0.1}], "steps": 6, "optimizer": "sgd",
                "scheduler": {"kind": "ConstantLR", "args": {"factor": 0.0, "total_iters": 3}}})
    return out


def edge_configs():
    """Every scheduler with one to three of its numeric arguments drawn from edge values (negative, -0.0, zero, tiny,
    one, above one; ints from -2 to 7): PyTorch raises, warns or runs, and the C# replay must do the same. Records whose
    numbers leave the finite range (an lr that overflows) are left out, as strict JSON cannot hold them."""
    rng = random.Random(SEED + 1)
    floats = [-1.0, -0.5, -0.0, 0.0, 1e-12, 0.5, 1.0, 1.5, 10.0]
    ints = [-2, -1, 0, 1, 2, 7]
    base = {
        "StepLR": ({"step_size": 2, "gamma": 0.5}, {"step_size": ints, "gamma": floats}),
        "MultiStepLR": ({"milestones": [2, 4], "gamma": 0.5}, {"milestones": "milestones", "gamma": floats}),
        "ConstantLR": ({"factor": 0.5, "total_iters": 3}, {"factor": floats, "total_iters": ints}),
        "LinearLR": ({"start_factor": 0.5, "end_factor": 1.0, "total_iters": 3}, {"start_factor": floats, "end_factor": floats, "total_iters": ints}),
        "ExponentialLR": ({"gamma": 0.9}, {"gamma": floats}),
        "PolynomialLR": ({"total_iters": 4, "power": 1.0}, {"total_iters": ints, "power": floats}),
        "CosineAnnealingLR": ({"T_max": 4, "eta_min": 0.0}, {"T_max": ints, "eta_min": floats}),
        "CosineAnnealingWarmRestarts": ({"T_0": 3, "T_mult": 1, "eta_min": 0.0}, {"T_0": ints, "T_mult": ints, "eta_min": floats}),
        "CyclicLR": ({"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3}, {"base_lr": floats, "max_lr": floats, "step_size_up": ints, "step_size_down": ints, "gamma": floats, "base_momentum": floats, "max_momentum": floats}),
        "OneCycleLR": ({"max_lr": 0.1, "total_steps": 10}, {"max_lr": floats, "total_steps": ints, "pct_start": floats, "div_factor": floats, "final_div_factor": floats, "base_momentum": floats, "max_momentum": floats}),
        "ReduceLROnPlateau": ({}, {"factor": floats, "patience": ints, "threshold": floats, "cooldown": ints, "min_lr": floats, "eps": floats}),
    }
    out = []
    for kind, (defaults, pools) in base.items():
        for j in range(12):
            args = dict(defaults)
            for key in rng.sample(sorted(pools), rng.randint(1, min(3, len(pools)))):
                pool = pools[key]
                args[key] = [rng.choice(ints) for _ in range(rng.randint(1, 3))] if pool == "milestones" else rng.choice(pool)
            cfg = {"id": f"edge-{kind}-{j:02d}", "groups": [{"lr": 0.1}], "steps": 8, "optimizer": "sgd",
                   "scheduler": {"kind": kind, "args": args}}
            if kind == "ReduceLROnPlateau":
                cfg["metrics"] = [round(1.0 - 0.01 * (i % 3), 6) for i in range(8)]
            out.append(cfg)
    return out


def finite(record):
    try:
        json.dumps(record, allow_nan=False)
        return True
    except ValueError:
        return False


def main():
    configs = []
    i = 0
    for rep in range(11):
        for kind in ALL:
            configs.append(config(i, kind))
            i += 1
    # Every scheduler with PyTorch's defaults, one group, SGD.
    defaults = {
        "LambdaLR": {"lr_lambda": {"kind": "pow", "g": 0.95}}, "MultiplicativeLR": {"lr_lambda": {"kind": "const", "c": 0.95}},
        "StepLR": {"step_size": 3}, "MultiStepLR": {"milestones": [3, 7]}, "ConstantLR": {}, "LinearLR": {},
        "ExponentialLR": {"gamma": 0.9}, "PolynomialLR": {}, "CosineAnnealingLR": {"T_max": 10},
        "CosineAnnealingWarmRestarts": {"T_0": 5}, "CyclicLR": {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4},
        "OneCycleLR": {"max_lr": 0.1, "total_steps": 30}, "ReduceLROnPlateau": {},
    }
    for kind, args in defaults.items():
        cfg = {"id": f"default-{kind}", "groups": [{"lr": 0.1}], "steps": 30, "optimizer": "sgd",
               "scheduler": {"kind": kind, "args": args}, "resume_at": 11}
        if kind == "ReduceLROnPlateau":
            cfg["metrics"] = metrics(30)
        configs.append(cfg)
    configs += error_configs()
    records = [run(c) for c in configs]
    edges = [r for r in (run(c) for c in edge_configs()) if finite(r)]
    records += edges
    doc = {"torch": torch.__version__, "numpy": numpy.__version__, "python": sys.version.split()[0], "seed": SEED, "cases": records}
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    ok = sum(1 for r in records if "error" not in r)
    print(f"{len(records)} configurations ({ok} trajectories, {len(records) - ok} errors) -> {OUT}")


if __name__ == "__main__":
    main()
