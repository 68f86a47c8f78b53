#!/usr/bin/env python3
"""Golden files for TorchFacade's conformance "golden" group.

Run where PyTorch >= 2.6 (and, ideally, a CUDA GPU) is available; `./build.sh golden` runs every make_*.py here
with such a Python (see eng/golden.sh):

    python3 tests/golden/make_golden.py                 # every available device (cuda if present, and cpu)
    python3 tests/golden/make_golden.py --device cpu    # only one device

It draws seeded inputs (the edge values of docs/conformance.md plus a seeded random sample), and stores, computed
by PyTorch on each device in float32 and float64:

* activations_<device>_<dtype>.npz — for every activation: x, an upstream gradient g, y = f(x) and dx = g·f'(x)
  (from PyTorch's autograd of its own functional kernel). Keys: "<name>.x", "<name>.g", "<name>.y", "<name>.dx".
* optimizers_<device>_<dtype>.npz — for every optimizer configuration of the grid: the initial parameters, the
  gradient fed at every step and the parameters after every step (>= 100 steps). Keys: "<config>.p0",
  "<config>.grads" (steps x n), "<config>.params" (steps x n). Gradients come from a fixed loss evaluated along
  PyTorch's own trajectory, so a consumer replays exactly the same gradients.
* manifest.json — PyTorch, NumPy and CUDA versions, the GPU name, the devices, and the list of cases with their
  hyperparameters.

The files are written with numpy.savez_compressed and kept small (a few MB in all).
"""
import argparse
import json
import math
import os
import platform
import sys

import numpy as np
import torch
import torch.nn.functional as F

STEPS = 100
SEED = 20261123

EDGE = [0.0, -0.0, 1e-30, -1e-30, 1e-40, -1e-40, 1.0, -1.0, 10.0, -10.0, 20.0, -20.0, 88.0, -88.0,
        100.0, -100.0, 1e4, -1e4, math.inf, -math.inf, math.nan]


def activation_inputs(dtype):
    sweep = np.linspace(-10.0, 10.0, 2001)
    rng = np.random.default_rng(SEED)
    sample = rng.standard_normal(2048) * 3.0
    x = np.concatenate([np.array(EDGE), sweep, sample])
    return torch.tensor(x, dtype=dtype)


def activations():
    """name -> (function of x, input transform). Inputs are 1-D unless the function needs more."""
    return {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda x: F.leaky_relu(x, 0.01),
        "prelu": lambda x: F.prelu(x, torch.full((1,), 0.25, dtype=x.dtype, device=x.device)),
        "silu": F.silu,
        "gelu": lambda x: F.gelu(x, approximate="none"),
        "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
        "selu": F.selu,
        "elu": lambda x: F.elu(x, 1.0),
        "softplus": lambda x: F.softplus(x, 1.0, 20.0),
        "softplus_beta2": lambda x: F.softplus(x, 2.0, 20.0),
        "mish": F.mish,
        "softmax_dim1": lambda x: F.softmax(x, dim=1),
        "log_softmax_dim1": lambda x: F.log_softmax(x, dim=1),
        "glu_dim1": lambda x: F.glu(x, dim=1),
    }


ROW_WISE = {"softmax_dim1", "log_softmax_dim1", "glu_dim1"}


def golden_activations(device, dtype):
    out = {}
    for name, fn in activations().items():
        x = activation_inputs(dtype)
        if name in ROW_WISE:
            # finite inputs only, as rows of 8 (softmax of a row holding inf/nan is all nan)
            x = x[torch.isfinite(x)]
            x = x[: (x.numel() // 8) * 8].reshape(-1, 8)
        xd = x.clone().to(device).requires_grad_(True)
        y = fn(xd)
        gen = torch.Generator().manual_seed(SEED + len(name))
        g = torch.randn(y.shape, generator=gen, dtype=dtype)
        (dx,) = torch.autograd.grad(y, xd, g.to(device))
        out[name + ".x"] = x.numpy()
        out[name + ".g"] = g.numpy()
        out[name + ".y"] = y.detach().cpu().numpy()
        out[name + ".dx"] = dx.detach().cpu().numpy()
    return out


def optimizer_grid():
    grid = []
    for m, d, nes, wd, mx in [(0, 0, False, 0, False), (0.9, 0, False, 0, False), (0.9, 0, True, 0, False),
                              (0.9, 0.5, False, 0, False), (0.9, 0, False, 0.01, False), (0.9, 0, True, 0.01, True),
                              (0, 0, False, 0.1, True)]:
        grid.append(("sgd", dict(lr=0.01, momentum=m, dampening=d, nesterov=nes, weight_decay=wd, maximize=mx)))
    for lrd, iav, wd, mx in [(0, 0, 0, False), (0.01, 0.1, 0, False), (0, 0, 0.01, True)]:
        grid.append(("adagrad", dict(lr=0.05, lr_decay=lrd, initial_accumulator_value=iav, weight_decay=wd,
                                     eps=1e-10, maximize=mx)))
    for m, c, wd, mx in [(0, False, 0, False), (0.9, False, 0, False), (0, True, 0, False), (0.9, True, 0.01, False),
                         (0, False, 0.01, True)]:
        grid.append(("rmsprop", dict(lr=0.005, alpha=0.99, eps=1e-8, momentum=m, centered=c, weight_decay=wd,
                                     maximize=mx)))
    for ams, wd, mx, b2 in [(False, 0, False, 0.999), (True, 0, False, 0.999), (False, 0.01, False, 0.999),
                            (True, 0.01, True, 0.5), (False, 0, True, 0.5)]:
        grid.append(("adam", dict(lr=0.01, betas=(0.9, b2), eps=1e-8, weight_decay=wd, amsgrad=ams, maximize=mx)))
    for ams, wd, mx in [(False, 0.01, False), (True, 0.1, False), (False, 0.01, True)]:
        grid.append(("adamw", dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=wd, amsgrad=ams,
                                   maximize=mx)))
    return grid


def config_id(kind, opts):
    parts = []
    for k in sorted(opts):
        v = opts[k]
        if isinstance(v, tuple):
            v = "/".join(repr(float(b)) for b in v)
        elif isinstance(v, bool):
            v = "true" if v else "false"
        else:
            v = repr(float(v))
        parts.append(f"{k}={v}")
    return kind + ":" + ",".join(parts)


def make_optimizer(kind, params, opts):
    cls = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop,
           "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[kind]
    return cls(params, **opts)


def loss_fn(p, target, scale):
    # an ill-conditioned quadratic plus a quartic term: gradients change sign and size along the trajectory
    return ((p - target) ** 2 * scale).sum() + 0.05 * (p ** 4).sum()


def golden_optimizers(device, dtype):
    out = {}
    cases = []
    for index, (kind, opts) in enumerate(optimizer_grid()):
        gen = torch.Generator().manual_seed(SEED + index)
        p0 = torch.randn(12, generator=gen, dtype=dtype) * 2
        target = torch.randn(12, generator=gen, dtype=dtype)
        scale = torch.logspace(-1, 1, 12, dtype=dtype)
        p = p0.clone().to(device).requires_grad_(True)
        opt = make_optimizer(kind, [p], dict(opts))
        grads, params = [], []
        for _ in range(STEPS):
            opt.zero_grad()
            loss = loss_fn(p, target.to(device), scale.to(device))
            loss.backward()
            grads.append(p.grad.detach().cpu().clone())
            opt.step()
            params.append(p.detach().cpu().clone())
        cid = config_id(kind, opts)
        out[cid + ".p0"] = p0.numpy()
        out[cid + ".grads"] = torch.stack(grads).numpy()
        out[cid + ".params"] = torch.stack(params).numpy()
        cases.append({"id": cid, "optimizer": kind,
                      "options": {k: (list(v) if isinstance(v, tuple) else v) for k, v in opts.items()}})
    return out, cases


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", choices=["all", "cpu", "cuda"], default="all")
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = parser.parse_args()

    devices = []
    if args.device in ("all", "cuda"):
        if torch.cuda.is_available():
            devices.append("cuda")
        elif args.device == "cuda":
            sys.exit("make_golden.py: --device cuda asked for, but torch.cuda.is_available() is False")
    if args.device in ("all", "cpu"):
        devices.append("cpu")

    torch.manual_seed(SEED)
    manifest = {
        "generator": "tests/golden/make_golden.py",
        "torch": torch.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "cuda": torch.version.cuda,
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "devices": devices,
        "steps": STEPS,
        "seed": SEED,
        "files": [],
        "activations": sorted(activations()),
        "optimizers": None,
    }
    for device in devices:
        for dtype, dname in [(torch.float32, "float32"), (torch.float64, "float64")]:
            name = f"activations_{device}_{dname}.npz"
            np.savez_compressed(os.path.join(args.out, name), **golden_activations(device, dtype))
            manifest["files"].append(name)
            arrays, cases = golden_optimizers(device, dtype)
            name = f"optimizers_{device}_{dname}.npz"
            np.savez_compressed(os.path.join(args.out, name), **arrays)
            manifest["files"].append(name)
            manifest["optimizers"] = cases
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(manifest['files'])} files for {', '.join(devices)} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
