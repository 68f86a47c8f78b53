"""PyTorch 2.6's `y[...] = source` (TorchFacade's Assign) over layouts, shapes and dtypes.

Targets y: contiguous, transposed, stepped, expanded (stride 0), 0-d, empty, and a leaf that requires grad; each in
float32 or int64. Sources: random shapes broadcastable or not (extra leading size-1 dimensions, size-1 dimensions,
wrong sizes, more dimensions), float64, int32 or bool, values in halves from -4 to 4. Recorded: the exception class and
first line, or y's values afterwards (row-major) and whether y kept its storage.

Writes tests/golden/assign.json. Run with a Python whose torch is 2.6 or newer (./build.sh golden).
"""
import random

import numpy as np
import torch

import golden_io

SEED = 20261205
TARGETS = [
    ("contiguous", 24, [2, 3, 4], [12, 4, 1], 0),
    ("transposed", 12, [4, 3], [1, 4], 0),
    ("stepped", 24, [3, 4], [8, 2], 0),
    ("expanded", 4, [3, 4], [0, 1], 0),
    ("scalar", 1, [], [], 0),
    ("empty", 0, [0, 3], [3, 1], 0),
]


def source_shapes(shape, rng):
    out = [list(shape), [1] + list(shape), [1, 1] + list(shape), list(shape[1:]) if shape else [1], [1] * len(shape), []]
    for _ in range(6):
        s = [rng.choice([d, 1, d + 1, 2]) if rng.random() < 0.5 else d for d in shape]
        if rng.random() < 0.3:
            s = [rng.choice([1, 2, 3])] + s
        if s and rng.random() < 0.3:
            s = s[rng.randint(0, len(s)):]
        out.append(s)
    seen, unique = set(), []
    for s in out:
        if tuple(s) not in seen:
            seen.add(tuple(s))
            unique.append(s)
    return unique


def main():
    rng = random.Random(SEED)
    cases = []
    for name, storage, shape, stride, offset in TARGETS:
        for ydtype in ["float32", "int64"]:
            for grad in ([False, True] if ydtype == "float32" and name == "contiguous" else [False]):
                rows = []
                for sshape in source_shapes(shape, rng):
                    sdtype = rng.choice(["float64", "int32", "bool"])
                    n = int(np.prod(sshape)) if sshape else 1
                    values = [rng.randint(-8, 8) / 2 for _ in range(n)]
                    base = torch.arange(storage, dtype=getattr(torch, ydtype))
                    y = base.as_strided(shape, stride, offset)
                    if grad:
                        y = torch.arange(storage, dtype=torch.float32).reshape(shape).requires_grad_()
                    src = torch.tensor(values, dtype=torch.float64).reshape(sshape).to(getattr(torch, sdtype))
                    row = {"source_shape": sshape, "source_dtype": sdtype, "values": values}
                    before = y.untyped_storage().data_ptr()
                    try:
                        y[...] = src
                        row["after"] = [float(v) for v in y.detach().flatten().tolist()]
                        row["kept_storage"] = y.untyped_storage().data_ptr() == before
                    except Exception as e:  # noqa: BLE001 - which exception is the point
                        row["error"] = type(e).__name__
                        row["message"] = str(e).split("\n")[0]
                    rows.append(row)
                cases.append({"name": name + ("-requires-grad" if grad else ""), "dtype": ydtype, "storage": storage, "shape": shape,
                              "stride": stride, "offset": offset, "requires_grad": grad, "rows": rows})
    golden_io.write("assign.json", SEED, {"targets": cases})
    rows = [r for c in cases for r in c["rows"]]
    print(f"assign.json: {len(cases)} targets, {len(rows)} assignments, {sum('error' in r for r in rows)} raise")


if __name__ == "__main__":
    main()
