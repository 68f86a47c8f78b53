#!/usr/bin/env python3
"""Autograd goldens from PyTorch (>= 2.6): writes tests/golden/autograd.json.

What it records (all small, all deterministic: inputs are written out, no random state):
  graphs          grad_fn names and next_functions (name, input_nr) trees, depth 4, for a catalog of expressions;
                  the C# side (TorchFacade.Conformance, group `autograd`) builds the same expressions from the same
                  inputs and compares the trees
  hooks           gradients seen by register_hook hooks in order, replaced gradients, retained .grad, leaf .grad,
                  post-accumulate-grad hook observations
  retained        .grad of non-leaves after retain_grad()
  penalty         the WGAN-GP gradient penalty (torch.autograd.grad with create_graph=True, then backward)
  second_order    first and second derivatives (autograd.grad twice) of activations at fixed points
  reference_second_order
                  first derivatives and Hessian-vector products (autograd.grad twice, weighted sums) of the function
                  behind every reference activation of TorchFacade.Reference (ids as its conformance specs), at points
                  away from kinks and thresholds
  custom          PyTorch's custom Function documentation example (LegendrePolynomial3): values, first and second
                  derivatives, the node name and its next_functions, and the tree of an expression around it

Run: /usr/bin/python3 tests/golden/make_autograd_golden.py   (or ./build.sh golden)
"""
import json
import os
import platform

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

X = [[0.5, -1.25, 2.0], [1.5, 0.75, -0.5]]
Y = [[1.0, 2.0, -0.5], [0.25, -1.5, 1.25]]
W = [[0.5, -0.25, 1.0, 0.1], [0.3, 0.2, -0.7, 0.4], [-0.6, 0.9, 0.05, -0.2]]
P = [[0.6, 1.3, 2.2], [0.9, 1.7, 0.4]]  # positive


def leaves():
    x = torch.tensor(X, requires_grad=True)
    y = torch.tensor(Y, requires_grad=True)
    w = torch.tensor(W, requires_grad=True)
    p = torch.tensor(P, requires_grad=True)
    c = torch.tensor(Y)  # does not require grad
    return x, y, w, p, c


# name -> expression over (x, y, w, p, c); the C# catalog mirrors these one by one (same LibTorch overloads: no Python
# scalars in binary ops, since TorchSharp's scalar overloads give the *Backward1 nodes).
CATALOG = {
    "add": lambda x, y, w, p, c: torch.add(x, y),
    "sub": lambda x, y, w, p, c: torch.sub(x, y),
    "mul": lambda x, y, w, p, c: torch.mul(x, y),
    "mul-const": lambda x, y, w, p, c: torch.mul(x, c),
    "div": lambda x, y, w, p, c: torch.div(x, p),
    "mm": lambda x, y, w, p, c: torch.mm(x, w),
    "matmul": lambda x, y, w, p, c: torch.matmul(x, w),
    "t": lambda x, y, w, p, c: x.t(),
    "exp": lambda x, y, w, p, c: torch.exp(x),
    "log": lambda x, y, w, p, c: torch.log(p),
    "sin": lambda x, y, w, p, c: torch.sin(x),
    "cos": lambda x, y, w, p, c: torch.cos(x),
    "tanh": lambda x, y, w, p, c: torch.tanh(x),
    "sigmoid": lambda x, y, w, p, c: torch.sigmoid(x),
    "relu": lambda x, y, w, p, c: torch.relu(x),
    "gelu": lambda x, y, w, p, c: F.gelu(x),
    "silu": lambda x, y, w, p, c: F.silu(x),
    "softplus": lambda x, y, w, p, c: F.softplus(x),
    "elu": lambda x, y, w, p, c: F.elu(x),
    "sqrt": lambda x, y, w, p, c: torch.sqrt(p),
    "rsqrt": lambda x, y, w, p, c: torch.rsqrt(p),
    "reciprocal": lambda x, y, w, p, c: torch.reciprocal(p),
    "abs": lambda x, y, w, p, c: torch.abs(x),
    "neg": lambda x, y, w, p, c: torch.neg(x),
    "erf": lambda x, y, w, p, c: torch.erf(x),
    "atan2": lambda x, y, w, p, c: torch.atan2(x, y),
    "pow-tensor": lambda x, y, w, p, c: torch.pow(p, y),
    "maximum": lambda x, y, w, p, c: torch.maximum(x, y),
    "minimum": lambda x, y, w, p, c: torch.minimum(x, y),
    "where": lambda x, y, w, p, c: torch.where(c > 0, x, y),
    "sum": lambda x, y, w, p, c: x.sum(),
    "sum-dim": lambda x, y, w, p, c: x.sum(1),
    "mean": lambda x, y, w, p, c: x.mean(),
    "mean-dim": lambda x, y, w, p, c: x.mean(0),
    "prod": lambda x, y, w, p, c: x.prod(),
    "cumsum": lambda x, y, w, p, c: torch.cumsum(x, 1),
    "view": lambda x, y, w, p, c: x.view(6),
    "transpose": lambda x, y, w, p, c: x.transpose(0, 1),
    "permute": lambda x, y, w, p, c: x.permute(1, 0),
    "unsqueeze": lambda x, y, w, p, c: x.unsqueeze(0),
    "select": lambda x, y, w, p, c: x.select(0, 1),
    "narrow": lambda x, y, w, p, c: x.narrow(1, 1, 2),
    "cat": lambda x, y, w, p, c: torch.cat([x, y]),
    "stack": lambda x, y, w, p, c: torch.stack([x, y]),
    "clone": lambda x, y, w, p, c: x.clone(),
    "flip": lambda x, y, w, p, c: torch.flip(x, [1]),
    "tril": lambda x, y, w, p, c: torch.tril(x),
    "softmax": lambda x, y, w, p, c: torch.softmax(x, 1),
    "log-softmax": lambda x, y, w, p, c: torch.log_softmax(x, 1),
    "unbind-mul": lambda x, y, w, p, c: torch.mul(torch.unbind(x, 0)[1], y[0]),
    "chunk-add": lambda x, y, w, p, c: torch.add(torch.chunk(x, 3, 1)[2], torch.chunk(y, 3, 1)[0]),
    "mse-loss": lambda x, y, w, p, c: F.mse_loss(x, y),
    "chain": lambda x, y, w, p, c: torch.tanh(torch.mm(torch.mul(x, y), w)).sum(),
    "linear": lambda x, y, w, p, c: F.linear(x, w.t()),
}


def tree(fn, depth):
    if fn is None:
        return None
    node = {"name": type(fn).__name__}
    if depth > 0:
        node["next"] = [[tree(f, depth - 1), nr] for f, nr in fn.next_functions]
    return node


def graphs():
    out = {}
    for name, f in CATALOG.items():
        x, y, w, p, c = leaves()
        r = f(x, y, w, p, c)
        out[name] = tree(r.grad_fn, 4)
    return out


def hooks():
    res = {}
    # non-leaf: three hooks in order, the first replaces, the second keeps, the third replaces again; retain_grad
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    k = torch.tensor([1.0, -1.0, 0.5])
    y = torch.mul(x, x)
    y.retain_grad()
    seen = []
    y.register_hook(lambda g: (seen.append(g.tolist()), torch.mul(g, k))[1])
    y.register_hook(lambda g: (seen.append(g.tolist()), None)[1])
    y.register_hook(lambda g: (seen.append(g.tolist()), torch.add(g, k))[1])
    torch.sum(torch.mul(y, k)).backward()
    res["nonleaf"] = {"seen": seen, "retained": y.grad.tolist(), "leaf": x.grad.tolist()}

    # leaf hook: replaces what is accumulated; a post-accumulate-grad hook sees the accumulated grad, twice
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    seen = []
    post = []
    x.register_hook(lambda g: (seen.append(g.tolist()), torch.mul(g, k))[1])
    x.register_post_accumulate_grad_hook(lambda t: post.append(t.grad.tolist()))
    torch.sum(torch.mul(x, x)).backward()
    torch.sum(torch.mul(x, x)).backward()
    res["leaf"] = {"seen": seen, "post": post, "grad": x.grad.tolist()}

    # a removed hook is not called
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    seen = []
    h = x.register_hook(lambda g: (seen.append(g.tolist()), torch.mul(g, k))[1])
    h.remove()
    torch.sum(torch.mul(x, x)).backward()
    res["removed"] = {"seen": seen, "grad": x.grad.tolist()}
    return res


def retained():
    x, y, w, p, c = leaves()
    a = torch.mul(x, y)
    b = torch.mm(a, w)
    d = torch.tanh(b)
    for t in (a, b, d):
        t.retain_grad()
    loss = torch.sum(torch.mul(d, d))
    loss.backward()
    return {"a": a.grad.tolist(), "b": b.grad.tolist(), "d": d.grad.tolist(), "x": x.grad.tolist(),
            "w": w.grad.tolist(), "retains": [a.retains_grad, b.retains_grad, d.retains_grad, x.retains_grad]}


REAL = [[0.2, -0.4, 1.1], [0.9, 0.3, -0.8], [-0.5, 1.2, 0.7], [0.05, -0.9, 0.4]]
FAKE = [[-0.3, 0.8, 0.1], [0.6, -1.1, 0.5], [1.3, 0.2, -0.4], [-0.7, 0.35, 0.9]]
ALPHA = [[0.25], [0.5], [0.75], [0.1]]
CW = [[0.4, -0.7], [0.9, 0.2], [-0.3, 0.6]]
CB = [0.1, -0.2]
CV = [[1.5], [-0.8]]


def penalty():
    real, fake, alpha = torch.tensor(REAL), torch.tensor(FAKE), torch.tensor(ALPHA)
    cw = torch.tensor(CW, requires_grad=True)
    cb = torch.tensor(CB, requires_grad=True)
    cv = torch.tensor(CV, requires_grad=True)
    interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    out = torch.mm(torch.tanh(torch.addmm(cb, interp, cw)), cv)
    grads = torch.autograd.grad(outputs=out, inputs=interp, grad_outputs=torch.ones_like(out), create_graph=True)[0]
    gp = ((grads.norm(2, dim=1) - 1) ** 2).mean()
    gp.backward()
    return {"real": REAL, "fake": FAKE, "alpha": ALPHA, "cw": CW, "cb": CB, "cv": CV,
            "grads": grads.tolist(), "gp": gp.item(), "cw_grad": cw.grad.tolist(), "cb_grad": cb.grad.tolist(),
            "cv_grad": cv.grad.tolist()}


POINTS = [-3.0, -1.5, -0.5, -0.1, 0.0, 0.1, 0.5, 1.5, 3.0]
ACTIVATIONS = {
    "relu": F.relu,
    "gelu": F.gelu,
    "gelu-tanh": lambda t: F.gelu(t, approximate="tanh"),
    "silu": F.silu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "softplus": F.softplus,
    "elu": F.elu,
    "selu": F.selu,
    "mish": F.mish,
    "leaky-relu": lambda t: F.leaky_relu(t, 0.01),
}


def second_order():
    res = {"points": POINTS}
    for name, f in ACTIVATIONS.items():
        x = torch.tensor(POINTS, requires_grad=True)
        g = torch.autograd.grad(f(x).sum(), x, create_graph=True)[0]
        gg = torch.autograd.grad(g.sum(), x, allow_unused=True, materialize_grads=True)[0]
        res[name] = {"first": g.tolist(), "second": gg.tolist()}
    return res


REF_X = [[-2.6, -1.1, -0.45, 0.3], [0.85, 1.9, -0.2, 2.4]]
REF_W = [[0.7, -1.3, 0.4, 1.1], [-0.6, 0.9, 1.5, -0.8]]
REF_V = [[1.2, 0.3, -0.7, 0.5], [0.4, -1.1, 0.8, 0.6]]
PRELU_WEIGHT = [0.25, -0.4, 0.9, 0.1]
PRELU_V = [0.5, -0.3, 0.7, 1.1]
REFERENCE = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": F.relu,
    "leaky-relu": lambda t: F.leaky_relu(t, 0.01),
    "leaky-relu-0.2": lambda t: F.leaky_relu(t, 0.2),
    "silu": F.silu,
    "swish-1": F.silu,
    "swish-1.5": lambda t: t * torch.sigmoid(1.5 * t),
    "gelu-none": F.gelu,
    "gelu-tanh": lambda t: F.gelu(t, approximate="tanh"),
    "selu": F.selu,
    "elu": lambda t: F.elu(t, 1.0),
    "elu-0.5": lambda t: F.elu(t, 0.5),
    "softplus": lambda t: F.softplus(t, 1, 20),
    "softplus-beta2": lambda t: F.softplus(t, 2, 20),
    "mish": F.mish,
    "xtanh": lambda t: t * torch.tanh(t),
    "xsin": lambda t: t * torch.sin(t),
    "softmax": lambda t: F.softmax(t, -1),
    "softmax-dim0": lambda t: F.softmax(t, 0),
    "log-softmax": lambda t: F.log_softmax(t, -1),
    "glu": lambda t: F.glu(t, -1),
}


def reference_second_order():
    res = {"x": REF_X, "w": REF_W, "v": REF_V}
    w, v = torch.tensor(REF_W), torch.tensor(REF_V)
    for name, f in REFERENCE.items():
        x = torch.tensor(REF_X, requires_grad=True)
        y = f(x)
        g = torch.autograd.grad((y * w[:, : y.shape[1]]).sum(), x, create_graph=True)[0]
        gg = torch.autograd.grad((g * v).sum(), x, allow_unused=True, materialize_grads=True)[0]
        res[name] = {"first": g.tolist(), "second": gg.tolist()}
    x = torch.tensor(REF_X, requires_grad=True)
    a = torch.tensor(PRELU_WEIGHT, requires_grad=True)
    y = F.prelu(x, a)
    gx, ga = torch.autograd.grad((y * w).sum(), (x, a), create_graph=True)
    ggx, gga = torch.autograd.grad((gx * v).sum() + (ga * torch.tensor(PRELU_V)).sum(), (x, a),
                                   allow_unused=True, materialize_grads=True)
    res["prelu"] = {"weight": PRELU_WEIGHT, "weight_v": PRELU_V, "first": gx.tolist(), "first_weight": ga.tolist(),
                    "second": ggx.tolist(), "second_weight": gga.tolist()}
    return res


class LegendrePolynomial3(torch.autograd.Function):
    """PyTorch's documentation example (Learning PyTorch with Examples: defining new autograd functions)."""

    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)


CUSTOM_X = [-1.5, -0.5, 0.25, 1.0, 2.0]


def custom():
    x = torch.tensor(CUSTOM_X, requires_grad=True)
    y = LegendrePolynomial3.apply(x)
    g = torch.autograd.grad(y.sum(), x, create_graph=True)[0]
    gg = torch.autograd.grad(g.sum(), x)[0]
    lx, ly, _, _, _ = leaves()
    expr = torch.exp(LegendrePolynomial3.apply(torch.add(torch.mul(lx, ly), ly))).sum()
    return {"x": CUSTOM_X, "y": y.tolist(), "first": g.tolist(), "second": gg.tolist(),
            "name": y.grad_fn.name(), "next_functions": [[type(fn).__name__ if fn is not None else None, nr]
                                                         for fn, nr in y.grad_fn.next_functions],
            "tree": tree(expr.grad_fn, 4)}


def main():
    data = {
        "torch": torch.__version__.split("+")[0],
        "numpy": np.__version__,
        "python": platform.python_version(),
        "graphs": graphs(),
        "hooks": hooks(),
        "retained": retained(),
        "penalty": penalty(),
        "second_order": second_order(),
        "reference_second_order": reference_second_order(),
        "custom": custom(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "autograd.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=False)
        f.write("\n")
    print("wrote", path, "with", len(data["graphs"]), "graphs")


if __name__ == "__main__":
    main()
