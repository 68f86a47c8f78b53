"""PyTorch 2.6's exception class and first line for each bad input of the `errors` conformance group.

Writes tests/golden/errors.json: {"torch": version, "cases": {name: {"kind": class or null, "message": first line}}}.
`kind` is null where PyTorch accepts the input. Names match the rows of src/TorchFacade.Conformance/Cases/Errors/*.cs;
rows without a PyTorch equivalent (disposed tensors, .NET-only arguments) are not here. Run: /usr/bin/python3 this file.
"""
import json
import os
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


def outcome(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - every exception class is the point
        return {"kind": type(e).__name__, "message": str(e).split("\n")[0]}
    return {"kind": None, "message": None}


def main():
    out = {"torch": torch.__version__, "numpy": np.__version__, "cases": {name: outcome(fn) for name, fn in sorted(CASES.items())}}
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "errors.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"errors.json: {len(CASES)} cases")


if __name__ == "__main__":
    main()
