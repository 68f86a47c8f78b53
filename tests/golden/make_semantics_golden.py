#!/usr/bin/env python3
"""Semantic golden file for TorchFacade's conformance "golden" group: what PyTorch itself says about

* grad_fn — the autograd node name (type(t.grad_fn).__name__, or None) of a catalog of expressions on small leaves;
* storage — whether the result of a view/copy operation shares the input's storage, and what the input holds after
  the result is changed in place (r.add_(100)), plus which in-place operations return their own tensor;
* repr — repr(t) for every dtype the facade prints and every shape class (0-d, 1-d, 2-d, 3-d, empty, summarised,
  wrapped, scientific notation, non-finite values, requires_grad, grad_fn).

Written to semantics.json next to this script, with the torch, NumPy and Python versions. Run with PyTorch >= 2.6
(./build.sh golden runs every make_*.py here). The C# side (src/TorchFacade.Conformance/Cases/Golden/Semantic*.cs)
has the same ids and builds the same expressions; an id here without a C# twin (or the reverse) fails a case.
"""
import json
import math
import os
import platform

import numpy as np
import torch
import torch.nn.functional as F


def leaves():
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    w = torch.tensor([[0.5, -1.0, 2.0], [3.0, 0.25, -2.0]], requires_grad=True)
    v = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = torch.tensor([0.1, 0.2], requires_grad=True)
    return x, w, v, b


def no_grad_double(x):
    with torch.no_grad():
        return x * 2


GRAD_FN = {
    "add": lambda x, w, v, b: x + w,
    "add-scalar": lambda x, w, v, b: x + 2,
    "radd-scalar": lambda x, w, v, b: 2 + x,
    "sub": lambda x, w, v, b: x - w,
    "sub-scalar": lambda x, w, v, b: x - 2,
    "rsub-scalar": lambda x, w, v, b: 2 - x,
    "mul": lambda x, w, v, b: x * w,
    "mul-scalar": lambda x, w, v, b: x * 3,
    "div": lambda x, w, v, b: x / w,
    "div-scalar": lambda x, w, v, b: x / 2,
    "neg": lambda x, w, v, b: -x,
    "pow-scalar": lambda x, w, v, b: x ** 2,
    "pow-tensor": lambda x, w, v, b: x ** w,
    "exp": lambda x, w, v, b: x.exp(),
    "log": lambda x, w, v, b: x.log(),
    "sqrt": lambda x, w, v, b: x.sqrt(),
    "abs": lambda x, w, v, b: x.abs(),
    "sin": lambda x, w, v, b: x.sin(),
    "tanh": lambda x, w, v, b: x.tanh(),
    "sigmoid": lambda x, w, v, b: x.sigmoid(),
    "relu": lambda x, w, v, b: torch.relu(x),
    "gelu": lambda x, w, v, b: F.gelu(x),
    "silu": lambda x, w, v, b: F.silu(x),
    "softmax": lambda x, w, v, b: F.softmax(x, dim=1),
    "log-softmax": lambda x, w, v, b: F.log_softmax(x, dim=1),
    "sum": lambda x, w, v, b: x.sum(),
    "sum-dim": lambda x, w, v, b: x.sum(1),
    "mean": lambda x, w, v, b: x.mean(),
    "mean-dim": lambda x, w, v, b: x.mean(1),
    "max": lambda x, w, v, b: x.max(),
    "std": lambda x, w, v, b: x.std(),
    "var": lambda x, w, v, b: x.var(),
    "matmul": lambda x, w, v, b: x @ w.t(),
    "matmul-vector": lambda x, w, v, b: x @ v,
    "linear": lambda x, w, v, b: F.linear(x, w, b),
    "view": lambda x, w, v, b: x.view(-1),
    "reshape": lambda x, w, v, b: x.reshape(3, 2),
    "reshape-of-transposed": lambda x, w, v, b: x.t().reshape(-1),
    "t": lambda x, w, v, b: x.t(),
    "transpose": lambda x, w, v, b: x.transpose(0, 1),
    "permute": lambda x, w, v, b: x.permute(1, 0),
    "select": lambda x, w, v, b: x[0],
    "slice": lambda x, w, v, b: x[:, 1:],
    "index-tensor": lambda x, w, v, b: x[torch.tensor([1, 0])],
    "unsqueeze": lambda x, w, v, b: x.unsqueeze(0),
    "squeeze-dim": lambda x, w, v, b: x.unsqueeze(0).squeeze(0),
    "expand": lambda x, w, v, b: v.expand(2, 3),
    "cat": lambda x, w, v, b: torch.cat([x, w]),
    "stack": lambda x, w, v, b: torch.stack([x, w]),
    "clone": lambda x, w, v, b: x.clone(),
    "contiguous-of-transposed": lambda x, w, v, b: x.t().contiguous(),
    "to-float64": lambda x, w, v, b: x.to(torch.float64),
    "flatten": lambda x, w, v, b: x.flatten(),
    "clamp-min": lambda x, w, v, b: x.clamp(min=2.0),
    "clamp": lambda x, w, v, b: x.clamp(2.0, 5.0),
    "where": lambda x, w, v, b: torch.where(x > 2, x, w),
    "mse-loss": lambda x, w, v, b: F.mse_loss(x, w),
    "cross-entropy": lambda x, w, v, b: F.cross_entropy(x, torch.tensor([0, 2])),
    "add_-tensor": lambda x, w, v, b: x.clone().add_(w),
    "mul_-scalar": lambda x, w, v, b: x.clone().mul_(2),
    "detach": lambda x, w, v, b: x.detach(),
    "no-grad": lambda x, w, v, b: no_grad_double(x),
}


def grad_fn_names():
    out = {}
    for name, fn in GRAD_FN.items():
        r = fn(*leaves())
        out[name] = None if r.grad_fn is None else type(r.grad_fn).__name__
    return out


def base():
    return torch.arange(6.0).reshape(2, 3)


STORAGE = {
    "view": lambda x: x.view(-1),
    "reshape": lambda x: x.reshape(3, 2),
    "reshape-of-transposed": lambda x: x.t().reshape(-1),
    "t": lambda x: x.t(),
    "transpose": lambda x: x.transpose(0, 1),
    "permute": lambda x: x.permute(1, 0),
    "select": lambda x: x[0],
    "slice": lambda x: x[:, 1:],
    "step-slice": lambda x: x[:, ::2],
    "index-tensor": lambda x: x[torch.tensor([1, 0])],
    "narrow": lambda x: x.narrow(1, 1, 2),
    "unsqueeze": lambda x: x.unsqueeze(0),
    "squeeze": lambda x: x.unsqueeze(0).squeeze(0),
    "flatten": lambda x: x.flatten(),
    "flatten-of-transposed": lambda x: x.t().flatten(),
    "diagonal": lambda x: x.diagonal(),
    "chunk": lambda x: x.chunk(3, dim=1)[1],
    "movedim": lambda x: x.movedim(0, 1),
    "clone": lambda x: x.clone(),
    "contiguous": lambda x: x.contiguous(),
    "contiguous-of-transposed": lambda x: x.t().contiguous(),
    "detach": lambda x: x.detach(),
    "to-same-dtype": lambda x: x.to(torch.float32),
    "to-float64": lambda x: x.to(torch.float64),
    "mul-by-one": lambda x: x * 1,
}

# Results that cannot be written in place (several elements share one location) only record sharing.
STORAGE_SHARES_ONLY = {
    "expand": lambda x: x[0].expand(2, 3),
}

IN_PLACE = {
    "add_": lambda y: y.add_(1),
    "mul_": lambda y: y.mul_(2),
    "zero_": lambda y: y.zero_(),
    "clamp_": lambda y: y.clamp_(min=2.0),
    "transpose_": lambda y: y.transpose_(0, 1),
    "unsqueeze_": lambda y: y.unsqueeze_(0),
}


def storage():
    out = {}
    for name, fn in STORAGE.items():
        x = base()
        r = fn(x)
        shares = r.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()
        r.add_(100)
        out[name] = {"shares": shares, "shape": list(r.shape), "contiguous": r.is_contiguous(),
                     "input_after": x.flatten().tolist()}
    for name, fn in STORAGE_SHARES_ONLY.items():
        x = base()
        r = fn(x)
        shares = r.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()
        out[name] = {"shares": shares, "shape": list(r.shape), "contiguous": r.is_contiguous(), "input_after": None}
    in_place = {}
    for name, fn in IN_PLACE.items():
        y = base()
        ptr = y.untyped_storage().data_ptr()
        r = fn(y)
        in_place[name] = {"returns_self": r is y, "same_storage": y.untyped_storage().data_ptr() == ptr,
                          "shape": list(y.shape), "values": y.flatten().tolist()}
    return out, in_place


DTYPES = {
    "float32": torch.float32, "float64": torch.float64, "float16": torch.float16, "bfloat16": torch.bfloat16,
    "int8": torch.int8, "uint8": torch.uint8, "int16": torch.int16, "int32": torch.int32, "int64": torch.int64,
    "bool": torch.bool, "complex64": torch.complex64, "complex128": torch.complex128,
}


def repr_cases():
    """id -> (dtype name, shape, values, autograd: none | leaf | mul-by-ones)."""
    frac = [0.1, 1.25, -3.5, 7.0]
    rng = np.random.default_rng(20261203)
    c = {}
    for d in ["float32", "float64", "float16", "bfloat16"]:
        c[f"{d}/0d"] = (d, [], [3.5], "none")
        c[f"{d}/0d-integral"] = (d, [], [2.0], "none")
        c[f"{d}/1d-integral"] = (d, [3], [1.0, 2.0, 3.0], "none")
        c[f"{d}/1d-fraction"] = (d, [4], frac, "none")
        c[f"{d}/2d"] = (d, [2, 3], [0.5, -1.0, 2.25, 3.0, 0.125, -2.0], "none")
        c[f"{d}/3d"] = (d, [2, 2, 3], [float(i) / 4 - 1 for i in range(12)], "none")
        c[f"{d}/empty"] = (d, [0], [], "none")
        c[f"{d}/empty-2x0"] = (d, [2, 0], [], "none")
        c[f"{d}/scientific"] = (d, [3], [1e-3 if d == "float16" else 1e-5, 1.0, 1e4 if d == "float16" else 1e5], "none")
        c[f"{d}/non-finite"] = (d, [5], [math.nan, math.inf, -math.inf, -0.0, 1.5], "none")
        c[f"{d}/wrapped"] = (d, [30], [float(v) for v in np.round(rng.standard_normal(30), 3)], "none")
    c["float32/large-magnitude"] = ("float32", [2], [1e9, 2.0], "none")
    c["float32/negative-zero"] = ("float32", [3], [-0.0, 0.0, 1.0], "none")
    c["float32/summarized-1d"] = ("float32", [2000], [float(i) for i in range(2000)], "none")
    c["float32/summarized-2d"] = ("float32", [40, 40], [float(i % 97) / 8 for i in range(1600)], "none")
    c["float32/requires-grad"] = ("float32", [3], [1.0, 2.0, 3.0], "leaf")
    c["float32/grad-fn"] = ("float32", [2, 2], [1.5, -2.0, 3.0, 4.0], "mul-by-ones")
    c["float64/requires-grad"] = ("float64", [2], [0.5, 0.25], "leaf")
    for d in ["int8", "uint8", "int16", "int32", "int64"]:
        signed = d != "uint8"
        c[f"{d}/0d"] = (d, [], [7], "none")
        c[f"{d}/1d"] = (d, [4], [1, -2, 3, -4] if signed else [1, 2, 3, 250], "none")
        c[f"{d}/2d"] = (d, [2, 3], [0, 1, 2, 3, 4, 5], "none")
        c[f"{d}/empty"] = (d, [0], [], "none")
    c["int64/large"] = ("int64", [3], [10 ** 12, -5, 42], "none")
    c["int64/summarized"] = ("int64", [2000], list(range(2000)), "none")
    c["int64/wrapped"] = ("int64", [40], list(range(-20000, 20000, 1000)), "none")
    c["bool/0d"] = ("bool", [], [True], "none")
    c["bool/1d"] = ("bool", [3], [True, False, True], "none")
    c["bool/2d"] = ("bool", [2, 2], [True, False, False, True], "none")
    c["bool/empty"] = ("bool", [0], [], "none")
    c["complex64/1d"] = ("complex64", [2], [1.0, 2.0], "none")
    c["complex128/1d"] = ("complex128", [2], [1.0, -2.5], "none")
    # Shape classes beyond 0-3 dimensions, and size-1 dimensions.
    c["float32/4d"] = ("float32", [2, 1, 2, 2], [float(i) - 3.5 for i in range(8)], "none")
    c["float32/size-one-dims"] = ("float32", [1, 3, 1], [1.5, -2.0, 0.25], "none")
    c["float32/one-element"] = ("float32", [1], [4.0], "none")
    # Summarisation of other dtypes, and requires_grad / grad_fn suffixes on the other float dtypes.
    c["float64/summarized-1d"] = ("float64", [1500], [float(i) / 4 for i in range(1500)], "none")
    c["int32/summarized"] = ("int32", [1200], list(range(-600, 600)), "none")
    c["bool/summarized"] = ("bool", [1100], [i % 3 == 0 for i in range(1100)], "none")
    c["float16/requires-grad"] = ("float16", [2], [0.5, -1.5], "leaf")
    c["bfloat16/requires-grad"] = ("bfloat16", [2], [0.5, -1.5], "leaf")
    c["float64/grad-fn"] = ("float64", [3], [0.5, 1.0, -2.0], "mul-by-ones")
    return c


def encode(values):
    out = []
    for v in values:
        if isinstance(v, float) and math.isnan(v):
            out.append("nan")
        elif isinstance(v, float) and math.isinf(v):
            out.append("inf" if v > 0 else "-inf")
        else:
            out.append(v)
    return out


def reprs():
    out = {}
    for cid, (dname, shape, values, autograd) in repr_cases().items():
        dtype = DTYPES[dname]
        t = torch.tensor(values, dtype=dtype).reshape(shape)
        if autograd == "leaf":
            t.requires_grad_(True)
        elif autograd == "mul-by-ones":
            t.requires_grad_(True)
            t = t * torch.ones(shape, dtype=dtype, requires_grad=True)
        if dtype.is_floating_point:
            stored = t.detach().double().flatten().tolist()
        elif dtype.is_complex:
            stored = t.real.double().flatten().tolist()
        elif dtype == torch.bool:
            stored = [bool(b) for b in t.flatten().tolist()]
        else:
            stored = t.flatten().tolist()
        out[cid] = {"dtype": dname, "shape": list(shape), "values": encode(stored), "autograd": autograd,
                    "repr": repr(t)}
    return out


def main():
    storage_cases, in_place = storage()
    golden = {
        "generator": "tests/golden/make_semantics_golden.py",
        "torch": torch.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "grad_fn": grad_fn_names(),
        "storage": storage_cases,
        "in_place": in_place,
        "repr": reprs(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "semantics.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(golden, f, indent=1, sort_keys=True, allow_nan=False)
        f.write("\n")
    print(f"wrote semantics.json: {len(golden['grad_fn'])} grad_fn, {len(storage_cases) + len(in_place)} storage, "
          f"{len(golden['repr'])} repr cases (torch {torch.__version__})")


if __name__ == "__main__":
    main()
