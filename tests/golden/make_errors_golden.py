"""PyTorch 2.6's exception class and first line for each bad input of the `errors` conformance group.

Writes tests/golden/errors.json: {"torch": version, "cases": {name: {"kind": class or null, "message": first line}}}.
`kind` is null where PyTorch accepts the input. Names match the rows of src/TorchFacade.Conformance/Cases/Errors/*.cs;
rows without a PyTorch equivalent (disposed tensors, .NET-only arguments) are not here. Run: /usr/bin/python3 this file.
"""
import json
import os
import platform
import re
import tempfile
import warnings
import zipfile

import numpy as np
import torch

warnings.simplefilter("ignore")


def leaf(*shape):
    return torch.ones(*shape, requires_grad=True)


def sparse():
    return torch.ones(2, 3).to_sparse()


def meta():
    return torch.ones(2, 3, device="meta")


def backward_twice():
    x = leaf(2)
    loss = (x * x).sum()
    loss.backward()
    loss.backward()


def set_grad(t, g):
    t.grad = g


def set_requires_grad(t, v):
    t.requires_grad = v


def tmp(ext, data=None):
    fd, path = tempfile.mkstemp(suffix=ext)
    os.close(fd)
    if data is not None:
        with open(path, "wb") as f:
            f.write(data)
    return path


def npz_bad_crc():
    path = tmp(".npz")
    np.savez(path, a=np.arange(6, dtype=np.float32))
    raw = bytearray(open(path, "rb").read())
    raw[-200] ^= 0xFF  # inside a.npy's data (the archive is small): the stored CRC no longer matches
    open(path, "wb").write(bytes(raw))
    return dict(np.load(path))


CASES = {
    "sparse/shares-storage-with": lambda: sparse().untyped_storage(),
    "sparse/shares-storage-with-other": lambda: sparse().untyped_storage(),
    "sparse/data-ptr": lambda: sparse().data_ptr(),
    "sparse/view": lambda: sparse().view(6),
    "sparse/to-array": lambda: sparse().numpy(),
    "sparse/as-span": lambda: sparse().numpy(),
    "sparse/npy-save": lambda: np.save(tmp(".npy"), sparse().numpy()),
    "sparse/assign-into": lambda: sparse().copy_(torch.ones(2, 3)),
    "sparse/assign-from": lambda: torch.zeros(2, 3).copy_(sparse()),
    "meta/item": lambda: torch.ones(1, device="meta").item(),
    "meta/to-array": lambda: meta().numpy(),
    "view/wrong-numel": lambda: torch.ones(2, 3).view(5),
    "view/two-inferred": lambda: torch.ones(2, 3).view(-1, -1),
    "view/negative-size": lambda: torch.ones(2, 3).view(-2, -3),
    "view/transposed": lambda: torch.ones(2, 3).t().view(6),
    "reshape/wrong-numel": lambda: torch.ones(2, 3).reshape(5),
    "reshape/two-inferred": lambda: torch.ones(2, 3).reshape(-1, -1),
    "item/many-elements": lambda: torch.ones(2).item(),
    "item/no-elements": lambda: torch.ones(0).item(),
    "item/nan-to-int": lambda: int(torch.tensor(float("nan")).item()),
    "item/inf-to-long": lambda: int(torch.tensor(float("inf")).item()),
    "item/complex-to-float": lambda: float(torch.complex(torch.tensor(1.0), torch.tensor(2.0)).item()),
    "item/complex-to-int": lambda: int(torch.complex(torch.tensor(1.0, dtype=torch.float64), torch.tensor(2.0, dtype=torch.float64)).item()),
    "assign/not-broadcastable": lambda: torch.zeros(2, 3).copy_(torch.ones(4)),
    "assign/extra-leading-dim": lambda: torch.zeros(3).__setitem__(slice(None), torch.ones(2, 3)),
    "assign/leaf-requires-grad": lambda: leaf(2).copy_(torch.zeros(2)),
    "add/out-float-into-long": lambda: torch.add(torch.ones(2), torch.ones(2), out=torch.zeros(2, dtype=torch.long)),
    "add/out-complex-into-float": lambda: torch.add(torch.ones(2, dtype=torch.complex64), torch.ones(2), out=torch.zeros(2)),
    "add/out-float-into-bool": lambda: torch.add(torch.ones(2), torch.ones(2), out=torch.zeros(2, dtype=torch.bool)),
    "add/not-broadcastable": lambda: torch.add(torch.ones(2, 3), torch.ones(4), out=torch.zeros(2, 3)),
    "add/requires-grad": lambda: torch.add(leaf(2), torch.ones(2), out=torch.zeros(2)),
    "requires-grad/int": lambda: set_requires_grad(torch.ones(2, dtype=torch.long), True),
    "requires-grad/bool": lambda: set_requires_grad(torch.ones(2, dtype=torch.bool), True),
    "requires-grad/non-leaf": lambda: set_requires_grad(leaf(2) * 2, False),
    "backward/no-grad": lambda: torch.ones(2).sum().backward(),
    "backward/non-scalar": lambda: (leaf(2) * 2).backward(),
    "backward/broadcastable-gradient": lambda: (leaf(2) * 2).backward(torch.ones(3, 2)),
    "backward/size-one-gradient": lambda: (leaf(2) * 2).backward(torch.ones(1)),
    "backward/wrong-gradient": lambda: (leaf(2, 2) * 2).backward(torch.ones(3)),
    "backward/twice": backward_twice,
    "backward/meta-gradient": lambda: (leaf(2) * 2).backward(torch.ones(2, device="meta")),
    "grad-set/wrong-shape": lambda: set_grad(leaf(2), torch.ones(3)),
    "grad-set/wrong-dtype": lambda: set_grad(leaf(2), torch.ones(2, dtype=torch.float64)),
    "grad-set/wrong-device": lambda: set_grad(leaf(2), torch.ones(2, device="meta")),
    "register-hook/no-grad": lambda: torch.ones(2).register_hook(lambda g: None),
    "register-post-accumulate-grad-hook/non-leaf": lambda: (leaf(2) * 2).register_post_accumulate_grad_hook(lambda t: None),
    "retain-grad/no-grad": lambda: torch.ones(2).retain_grad(),
    "to/unknown-device": lambda: torch.ones(2).to("gpu"),
    "to/empty-device": lambda: torch.ones(2).to(""),
    "to/negative-index": lambda: torch.ones(2).to("cuda:-1"),
    "device/unknown": lambda: torch.device("tpu"),
    "device/trailing-colon": lambda: torch.device("cuda:"),
    "as-span/requires-grad": lambda: leaf(2).numpy(),
    "from-array/shape-mismatch": lambda: torch.from_numpy(np.zeros(6, np.float32)).view(4),
    "from-array/negative-dim": lambda: torch.from_numpy(np.zeros(6, np.float32)).view(-6),
    "from-array/null": lambda: torch.from_numpy(None),
    "from-array/decimal": lambda: torch.from_numpy(np.zeros(2, dtype=object)),
    "tensor/shape-mismatch": lambda: torch.tensor(np.zeros(6, np.float32)).view(5),
    "tensor/null": lambda: torch.tensor(None),
    "from-memory/shape-mismatch": lambda: torch.frombuffer(bytearray(24), dtype=torch.float32).view(7),
    "npy-load/missing": lambda: np.load(tmp(".npy") + ".missing"),
    "npy-load/directory": lambda: np.load(tempfile.gettempdir()),
    "npz-load/missing": lambda: np.load(tmp(".npz") + ".missing"),
    "npz-load/directory": lambda: np.load(tempfile.gettempdir()),
    "npz-load/bad-crc": npz_bad_crc,
    "npy-load/truncated": lambda: np.load(tmp(".npy", b"\x93NUMPY\x01\x00")),
    "npy-load/not-npy": lambda: np.load(tmp(".npy", b"hello world, not numpy"), allow_pickle=False),
}


def p2():
    return [leaf(2)]


def sgd():
    return torch.optim.SGD(p2(), lr=0.1)


def add_group_twice():
    p = leaf(2)
    torch.optim.SGD([p], lr=0.1).add_param_group({"params": [p]})


def load_group_count():
    two = torch.optim.Adam([{"params": [leaf(2)]}, {"params": [leaf(2)]}])
    torch.optim.Adam(p2()).load_state_dict(two.state_dict())


def load_group_size():
    torch.optim.Adam(p2()).load_state_dict(torch.optim.Adam([leaf(2), leaf(2)]).state_dict())


def sequential_milestones():
    o = sgd()
    torch.optim.lr_scheduler.SequentialLR(o, [torch.optim.lr_scheduler.StepLR(o, 2)], [1, 2])


def sequential_other():
    S = torch.optim.lr_scheduler.StepLR
    torch.optim.lr_scheduler.SequentialLR(sgd(), [S(sgd(), 2), S(sgd(), 2)], [1])


def grad_unused():
    x, y = leaf(2), leaf(2)
    torch.autograd.grad([(x * 2).sum()], [y])


def grad_non_scalar():
    x = leaf(2)
    torch.autograd.grad([x * 2], [x])


def backward_after_no_grad():
    x = leaf(2)
    with torch.no_grad():
        y = (x * 2).sum()
    y.backward()


def load_linear(sd):
    torch.nn.Linear(3, 2).load_state_dict(sd)


LR = torch.optim.lr_scheduler
CASES.update({
    **{f"optim/{n.lower()}/negative-lr": (lambda c: lambda: c(p2(), lr=-1))(getattr(torch.optim, n))
       for n in ["SGD", "Adam", "AdamW", "Adagrad", "Adadelta", "Adamax", "ASGD", "NAdam", "RAdam", "RMSprop", "Rprop", "LBFGS"]},
    "optim/builtin-sgd/negative-lr": lambda: torch.optim.SGD(p2(), lr=-1),
    "optim/builtin-adam/bad-beta": lambda: torch.optim.Adam(p2(), betas=(0.9, 1.0)),
    "optim/sgd/empty": lambda: torch.optim.SGD([], lr=0.1),
    "optim/sgd/non-leaf": lambda: torch.optim.SGD([leaf(2) * 2], lr=0.1),
    "optim/sgd/negative-momentum": lambda: torch.optim.SGD(p2(), lr=0.1, momentum=-0.5),
    "optim/sgd/negative-weight-decay": lambda: torch.optim.SGD(p2(), lr=0.1, weight_decay=-1),
    "optim/sgd/nesterov-without-momentum": lambda: torch.optim.SGD(p2(), lr=0.1, nesterov=True),
    "optim/adam/negative-eps": lambda: torch.optim.Adam(p2(), eps=-1),
    "optim/adam/beta1-one": lambda: torch.optim.Adam(p2(), betas=(1.0, 0.999)),
    "optim/adagrad/negative-lr-decay": lambda: torch.optim.Adagrad(p2(), lr_decay=-1),
    "optim/adagrad/negative-initial-accumulator": lambda: torch.optim.Adagrad(p2(), initial_accumulator_value=-1),
    "optim/adadelta/rho-above-one": lambda: torch.optim.Adadelta(p2(), rho=1.5),
    "optim/rmsprop/negative-alpha": lambda: torch.optim.RMSprop(p2(), alpha=-0.1),
    "optim/rmsprop/negative-momentum": lambda: torch.optim.RMSprop(p2(), momentum=-0.1),
    "optim/rprop/bad-etas": lambda: torch.optim.Rprop(p2(), etas=(1.5, 1.2)),
    "optim/add-param-group/already-optimized": add_group_twice,
    "optim/load-state-dict/group-count": load_group_count,
    "optim/load-state-dict/group-size": load_group_size,
    "sched/constant-lr/factor": lambda: LR.ConstantLR(sgd(), factor=2),
    "sched/linear-lr/start": lambda: LR.LinearLR(sgd(), start_factor=0),
    "sched/linear-lr/end": lambda: LR.LinearLR(sgd(), end_factor=2),
    "sched/cawr/t0": lambda: LR.CosineAnnealingWarmRestarts(sgd(), T_0=0),
    "sched/cawr/t-mult": lambda: LR.CosineAnnealingWarmRestarts(sgd(), T_0=5, T_mult=0),
    "sched/one-cycle/total-steps": lambda: LR.OneCycleLR(sgd(), max_lr=0.1, total_steps=0),
    "sched/one-cycle/none": lambda: LR.OneCycleLR(sgd(), max_lr=0.1),
    "sched/one-cycle/pct-start": lambda: LR.OneCycleLR(sgd(), max_lr=0.1, total_steps=10, pct_start=1.5),
    "sched/one-cycle/anneal": lambda: LR.OneCycleLR(sgd(), max_lr=0.1, total_steps=10, anneal_strategy="cosine"),
    "sched/plateau/factor": lambda: LR.ReduceLROnPlateau(sgd(), factor=1.5),
    "sched/plateau/mode": lambda: LR.ReduceLROnPlateau(sgd(), mode="maximum"),
    "sched/plateau/threshold-mode": lambda: LR.ReduceLROnPlateau(sgd(), threshold_mode="relative"),
    "sched/cyclic/mode": lambda: LR.CyclicLR(sgd(), base_lr=0.01, max_lr=0.1, mode="zigzag", cycle_momentum=False),
    "sched/lambda/count": lambda: LR.LambdaLR(sgd(), [lambda e: 1.0, lambda e: 1.0]),
    "sched/multiplicative/count": lambda: LR.MultiplicativeLR(sgd(), [lambda e: 1.0, lambda e: 1.0]),
    "sched/sequential/milestones": sequential_milestones,
    "sched/sequential/other-optimizer": sequential_other,
    "sched/chained/empty": lambda: LR.ChainedScheduler([]),
    "safetensors-save/non-contiguous": lambda: __import__("safetensors.torch").torch.save_file({"t": torch.ones(2, 3).t()}, tmp(".safetensors")),
    "load-state-dict/size-mismatch": lambda: load_linear({"weight": torch.ones(3, 3), "bias": torch.ones(2)}),
    "load-state-dict/missing": lambda: load_linear({"weight": torch.ones(2, 3)}),
    "load-state-dict/unexpected": lambda: load_linear({"weight": torch.ones(2, 3), "bias": torch.ones(2), "extra": torch.ones(1)}),
    "grad/unused-input": grad_unused,
    "grad/output-no-grad": lambda: torch.autograd.grad([torch.ones(2).sum()], [leaf(2)]),
    "grad/non-scalar": grad_non_scalar,
    "autograd-backward/no-grad": lambda: torch.autograd.backward([torch.ones(2).sum()]),
    "register-hook/int": lambda: torch.ones(2, dtype=torch.int64).register_hook(lambda g: None),
    "register-post-accumulate-grad-hook/no-grad": lambda: torch.ones(2).register_post_accumulate_grad_hook(lambda t: None),
    "retain-grad/int": lambda: torch.ones(2, dtype=torch.int64).retain_grad(),
    "backward/after-no-grad": backward_after_no_grad,
    "module/gelu/approximate": lambda: torch.nn.GELU("fast")(torch.ones(2)),
    "module/glu/odd": lambda: torch.nn.GLU()(torch.ones(2, 3)),
    "module/glu/scalar": lambda: torch.nn.GLU()(torch.tensor(1.0)),
    "module/softmax/dim": lambda: torch.nn.Softmax(5)(torch.ones(2, 3)),
    "module/log-softmax/dim": lambda: torch.nn.LogSoftmax(-4)(torch.ones(2, 3)),
    "module/prelu/channels": lambda: torch.nn.PReLU(3)(torch.ones(2, 4)),
    "module/group-norm/groups": lambda: torch.nn.GroupNorm(3, 4),
    "module/group-norm/channels": lambda: torch.nn.GroupNorm(2, 4)(torch.ones(2, 6)),
    "module/pad/odd": lambda: torch.nn.functional.pad(torch.ones(2, 3), [1, 2, 3]),
    "module/pad/too-many": lambda: torch.nn.functional.pad(torch.ones(3), [1, 1, 1, 1]),
    "module/pad/reflect-too-big": lambda: torch.nn.functional.pad(torch.ones(1, 3), [3, 3], mode="reflect"),
})


# The audit after the first three tables (src/TorchFacade.Conformance/Cases/Errors/ErrorModelCases.cs).
def sgd_momentum():
    return torch.optim.SGD([leaf(2)], lr=0.1, momentum=0.9)


def steps(scheduler, count):
    for _ in range(count):
        scheduler.step()


def sequential_with(second):
    o = sgd()
    LR.SequentialLR(o, [LR.StepLR(o, 2), second(o)], [1])


def chained_plateau():
    o = sgd()
    LR.ChainedScheduler([LR.StepLR(o, 2), LR.ReduceLROnPlateau(o)])


def lbfgs_step_after_add_param_group():
    a = leaf(2)
    o = torch.optim.LBFGS([a])
    o.add_param_group({"params": [leaf(1)]})

    def closure():
        o.zero_grad()
        loss = a.pow(2).sum()
        loss.backward()
        return loss

    o.step(closure)


def sparse_grad_step(make):
    p = torch.nn.Parameter(torch.ones(2, 3))
    o = make([p])
    p.grad = torch.ones(2, 3).to_sparse()
    o.step()


def quantized():
    return torch.quantize_per_tensor(torch.ones(2, 3), 0.1, 0, torch.qint8)


def zero_total_iters(make):
    s = make(sgd())
    steps(s, 6)
    print(f"{type(s).__name__}(total_iters=0) after 6 steps: {s.get_last_lr()}")


CASES.update({
    "load-state-dict/sparse-value": lambda: load_linear({"weight": torch.ones(2, 3).to_sparse(), "bias": torch.ones(2)}),
    "sched/cyclic/no-momentum": lambda: LR.CyclicLR(torch.optim.Adagrad([leaf(2)]), 0.01, 0.1),
    "sched/one-cycle/no-momentum": lambda: LR.OneCycleLR(torch.optim.Adagrad([leaf(2)]), 0.1, total_steps=10),
    "sched/one-cycle/max-lr-count": lambda: LR.OneCycleLR(sgd_momentum(), [0.1, 0.2], total_steps=10),
    "sched/one-cycle/max-momentum-count": lambda: LR.OneCycleLR(sgd_momentum(), 0.1, total_steps=10, max_momentum=[0.9, 0.8]),
    "sched/cyclic/base-lr-count": lambda: LR.CyclicLR(sgd_momentum(), [0.1, 0.2], 0.1),
    "sched/sequential/plateau": lambda: sequential_with(LR.ReduceLROnPlateau),
    "sched/sequential/null-child": lambda: sequential_with(lambda o: None),
    "sched/sequential/empty": lambda: LR.SequentialLR(sgd(), [], []),
    "sched/chained/plateau": chained_plateau,
    "sched/chained/other-optimizer": lambda: LR.ChainedScheduler([LR.StepLR(sgd(), 2), LR.StepLR(sgd(), 2)]),
    "sched/constant-lr/zero-factor": lambda: steps(LR.ConstantLR(sgd(), factor=0, total_iters=2), 2),
    "sched/cosine/t-max-zero": lambda: steps(LR.CosineAnnealingLR(sgd(), T_max=0), 1),
    "sched/step-lr/step-size-zero": lambda: steps(LR.StepLR(sgd(), step_size=0), 1),
    "sched/cyclic/zero-size": lambda: LR.CyclicLR(sgd_momentum(), 0.01, 0.1, step_size_up=0, step_size_down=0),
    "sched/polynomial/negative-power": lambda: steps(LR.PolynomialLR(sgd(), total_iters=2, power=-1), 6),
    "optim/lbfgs/two-groups": lambda: torch.optim.LBFGS([{"params": [leaf(2)]}, {"params": [leaf(2)]}]),
    "optim/lbfgs/step-after-add-param-group": lbfgs_step_after_add_param_group,
    "quantized/to-array": lambda: quantized().numpy(),
    "quantized/as-span": lambda: quantized().numpy(),
    "quantized/npy-save": lambda: np.save(tmp(".npy"), quantized().numpy()),
    "quantized/assign-from": lambda: torch.zeros(2, 3).copy_(quantized()),
    "testing/assert-close/rtol-only": lambda: torch.testing.assert_close(torch.ones(2), torch.ones(2), rtol=1e-3),
    "testing/grad-check/no-requires-grad": lambda: torch.autograd.gradcheck(lambda x: x * 2, (torch.ones(2, dtype=torch.float64),)),
})
for _name, _make in [("Adam", torch.optim.Adam), ("AdamW", torch.optim.AdamW), ("RMSprop", torch.optim.RMSprop),
                     ("Adadelta", torch.optim.Adadelta), ("Adamax", torch.optim.Adamax), ("NAdam", torch.optim.NAdam),
                     ("RAdam", torch.optim.RAdam), ("ASGD", torch.optim.ASGD), ("Rprop", torch.optim.Rprop)]:
    CASES[f"optim/{_name.lower()}/sparse-grad"] = (lambda make: lambda: sparse_grad_step(make))(_make)

def outcome(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - every exception class is the point
        # Temporary paths are written as <tmp>/NAME so a rerun gives the same file (mkstemp's names are random).
        first = re.sub(r"tmp\w{8}(?=\.)", "NAME", str(e).split("\n")[0]).replace(tempfile.gettempdir(), "<tmp>")
        return {"kind": type(e).__name__, "message": first}
    return {"kind": None, "message": None}


def main():
    out = {"torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version(), "cases": {name: outcome(fn) for name, fn in sorted(CASES.items())}}
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "errors.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"errors.json: {len(CASES)} cases")
    # Inputs PyTorch accepts (no row: the facade must answer as PyTorch; SchedulerArithmeticTests checks these values).
    zero_total_iters(lambda o: LR.PolynomialLR(o, total_iters=0))
    zero_total_iters(lambda o: LR.LinearLR(o, total_iters=0))


if __name__ == "__main__":
    main()
