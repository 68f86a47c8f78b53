"""PyTorch 2.6's answer to random, often invalid, optimizer hyperparameters: raises or not, and with what.

For each of the twelve optimizers, 100 configurations (seeded): every hyperparameter is left at its default or drawn
from a pool of edge and invalid values (negative, -0.0, 0, tiny, 1, above 1, nan, +-inf; for the integer options of
LBFGS also 0 and -1). Each configuration is constructed over one float32 parameter and, when that succeeds, stepped
twice (LBFGS with a closure). The outcome is recorded: the stage that raised ("init" or "step"), the exception class
and its first line, or nothing. Values are written as Python reprs ("nan", "-inf", "-0.0") so the JSON stays strict.

Writes tests/golden/optim_validation.json. Run with a Python whose torch is 2.6 or newer (./build.sh golden).
"""
import random
import warnings

import torch

import golden_io

SEED = 20261204
PER_OPTIMIZER = 100
FLOATS = [-1.0, -1e-8, -0.0, 0.0, 1e-8, 0.5, 0.999, 1.0, 1.5, 2.0, float("nan"), float("inf"), float("-inf")]
BOOLS = [False, True]
INTS = [-1, 0, 1, 3]

# name -> (constructor, {option: pool}); pairs (betas, etas, step_sizes) are drawn per element.
OPTIMIZERS = {
    "SGD": (torch.optim.SGD, {"lr": FLOATS, "momentum": FLOATS, "dampening": FLOATS, "weight_decay": FLOATS, "nesterov": BOOLS, "maximize": BOOLS}),
    "Adam": (torch.optim.Adam, {"lr": FLOATS, "beta1": FLOATS, "beta2": FLOATS, "eps": FLOATS, "weight_decay": FLOATS, "amsgrad": BOOLS, "maximize": BOOLS}),
    "AdamW": (torch.optim.AdamW, {"lr": FLOATS, "beta1": FLOATS, "beta2": FLOATS, "eps": FLOATS, "weight_decay": FLOATS, "amsgrad": BOOLS, "maximize": BOOLS}),
    "Adagrad": (torch.optim.Adagrad, {"lr": FLOATS, "lr_decay": FLOATS, "weight_decay": FLOATS, "initial_accumulator_value": FLOATS, "eps": FLOATS, "maximize": BOOLS}),
    "RMSprop": (torch.optim.RMSprop, {"lr": FLOATS, "alpha": FLOATS, "eps": FLOATS, "weight_decay": FLOATS, "momentum": FLOATS, "centered": BOOLS, "maximize": BOOLS}),
    "Adadelta": (torch.optim.Adadelta, {"lr": FLOATS, "rho": FLOATS, "eps": FLOATS, "weight_decay": FLOATS, "maximize": BOOLS}),
    "Adamax": (torch.optim.Adamax, {"lr": FLOATS, "beta1": FLOATS, "beta2": FLOATS, "eps": FLOATS, "weight_decay": FLOATS, "maximize": BOOLS}),
    "ASGD": (torch.optim.ASGD, {"lr": FLOATS, "lambd": FLOATS, "alpha": FLOATS, "t0": FLOATS, "weight_decay": FLOATS, "maximize": BOOLS}),
    "NAdam": (torch.optim.NAdam, {"lr": FLOATS, "beta1": FLOATS, "beta2": FLOATS, "eps": FLOATS, "weight_decay": FLOATS, "momentum_decay": FLOATS, "decoupled_weight_decay": BOOLS, "maximize": BOOLS}),
    "RAdam": (torch.optim.RAdam, {"lr": FLOATS, "beta1": FLOATS, "beta2": FLOATS, "eps": FLOATS, "weight_decay": FLOATS, "decoupled_weight_decay": BOOLS, "maximize": BOOLS}),
    "Rprop": (torch.optim.Rprop, {"lr": FLOATS, "etaminus": FLOATS, "etaplus": FLOATS, "min_step": FLOATS, "max_step": FLOATS, "maximize": BOOLS}),
    "LBFGS": (torch.optim.LBFGS, {"lr": FLOATS, "max_iter": INTS, "max_eval": INTS, "tolerance_grad": FLOATS, "tolerance_change": FLOATS, "history_size": INTS}),
}
PAIRS = {"betas": ("beta1", "beta2"), "etas": ("etaminus", "etaplus"), "step_sizes": ("min_step", "max_step")}
DEFAULTS = {"beta1": 0.9, "beta2": 0.999, "etaminus": 0.5, "etaplus": 1.2, "min_step": 1e-6, "max_step": 50.0}


def kwargs_of(options):
    kw = {k: v for k, v in options.items() if k not in DEFAULTS}
    for pair, (a, b) in PAIRS.items():
        if a in options or b in options:
            kw[pair] = (options.get(a, DEFAULTS[a]), options.get(b, DEFAULTS[b]))
    return kw


def first_line(e):
    return str(e).split("\n")[0]


def outcome(name, options):
    make = OPTIMIZERS[name][0]
    p = torch.tensor([0.5, -1.5], requires_grad=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opt = make([p], **kwargs_of(options))
    except Exception as e:  # noqa: BLE001 - which exception is the point
        return {"stage": "init", "kind": type(e).__name__, "message": first_line(e)}
    try:
        for _ in range(2):
            if name == "LBFGS":
                def closure():
                    opt.zero_grad()
                    loss = (p * p).sum() + p.sum()
                    loss.backward()
                    return loss
                opt.step(closure)
            else:
                p.grad = 2 * p.detach() + 1
                opt.step()
    except Exception as e:  # noqa: BLE001
        return {"stage": "step", "kind": type(e).__name__, "message": first_line(e)}
    return {"stage": None, "kind": None, "message": None}


def main():
    rng = random.Random(SEED)
    cases = {}
    for name, (_, pools) in OPTIMIZERS.items():
        rows = []
        for _ in range(PER_OPTIMIZER):
            options = {k: rng.choice(pool) for k, pool in pools.items() if rng.random() < 0.4}
            rows.append({"options": {k: repr(v) for k, v in sorted(options.items())}, **outcome(name, options)})
        cases[name] = rows
    golden_io.write("optim_validation.json", SEED, {"cases": cases}, sort_keys=True)
    raised = sum(1 for rows in cases.values() for r in rows if r["kind"])
    print(f"optim_validation.json: {sum(len(r) for r in cases.values())} configurations, {raised} raise")


if __name__ == "__main__":
    main()
