"""PyTorch 2.6's view() and reshape() over strided layouts and random target shapes.

Each base tensor is torch.arange(storage, dtype=float32).as_strided(shape, stride, offset): contiguous, transposed,
permuted, sliced with a step, narrowed, expanded (stride 0), with size-1 dimensions of odd strides, 0-d, empty. For
each base, target shapes (seeded): factorizations of its element count into one to four sizes, the same with one size
replaced by -1, and bad ones (a wrong count, two -1, a size below -1, 0 with -1). For every (base, shape) and both
calls the outcome is recorded: the exception class and first line, or the result's shape, stride, storage offset and
whether it shares the base's storage.

Writes tests/golden/views.json. Run with a Python whose torch is 2.6 or newer (./build.sh golden).
"""
import random

import torch

import golden_io

SEED = 20261204
BASES = [
    ("contiguous", 24, [2, 3, 4], [12, 4, 1], 0),
    ("transposed", 24, [6, 4], [1, 6], 0),
    ("permuted", 24, [4, 2, 3], [1, 12, 4], 0),
    ("stepped", 48, [4, 6], [12, 2], 0),
    ("narrowed", 24, [2, 6], [6, 1], 6),
    ("expanded", 3, [3, 4], [1, 0], 0),
    ("expanded-row", 4, [3, 4], [0, 1], 0),
    ("size-one-dims", 6, [1, 3, 1], [6, 2, 1], 0),
    ("size-one-odd-strides", 12, [2, 1, 3, 1], [6, 99, 2, 7], 0),
    ("transposed-unsqueezed", 24, [6, 1, 4], [1, 4, 6], 0),
    ("scalar", 1, [], [], 0),
    ("empty", 0, [0, 3], [3, 1], 0),
    ("empty-transposed", 0, [0, 3], [1, 0], 0),
    ("column-of-matrix", 12, [3], [4], 1),
]


def factorizations(n, rng, count):
    out = set()
    divisors = [d for d in range(1, n + 1) if n % d == 0] if n > 0 else [0, 1, 2, 3]
    for _ in range(count * 6):
        k = rng.randint(1, 4)
        sizes, rest = [], n
        for _ in range(k - 1):
            d = rng.choice([d for d in divisors if (rest % d == 0 if rest else True)] or [1])
            sizes.append(d)
            rest = rest // d if d and rest else rest
        sizes.append(rest)
        rng.shuffle(sizes)
        out.add(tuple(sizes))
        if len(out) >= count:
            break
    return [list(s) for s in sorted(out)]


def shapes_for(n, rng):
    good = factorizations(n, rng, 10)
    inferred = []
    for s in good[:8]:
        t = list(s)
        t[rng.randrange(len(t))] = -1
        inferred.append(t)
    bad = [[n + 1], [-1, -1], [-2, max(n, 1)], [0, -1], [n, -3] if n else [1, -2], [-1, 5], [7, -1], [1, 1, -1]]
    return good + inferred + bad + [[]] + [[1] * 3]


def outcome(call):
    try:
        r = call()
    except Exception as e:  # noqa: BLE001 - which exception is the point
        return {"error": type(e).__name__, "message": str(e).split("\n")[0]}
    return {"shape": list(r.shape), "stride": list(r.stride()), "offset": r.storage_offset()}


def main():
    rng = random.Random(SEED)
    cases = []
    for name, storage, shape, stride, offset in BASES:
        base = torch.arange(storage, dtype=torch.float32).as_strided(shape, stride, offset)
        rows = []
        for target in shapes_for(base.numel(), rng):
            view = outcome(lambda: base.view(target))
            reshape = outcome(lambda: base.reshape(target))
            if "shape" in reshape:
                r = base.reshape(target)
                reshape["shares"] = r.untyped_storage().data_ptr() == base.untyped_storage().data_ptr()
            rows.append({"target": target, "view": view, "reshape": reshape})
        cases.append({"name": name, "storage": storage, "shape": shape, "stride": stride, "offset": offset, "rows": rows})
    golden_io.write("views.json", SEED, {"bases": cases})
    rows = [r for c in cases for r in c["rows"]]
    print(f"views.json: {len(cases)} bases, {len(rows)} shapes, view raises {sum('error' in r['view'] for r in rows)}, reshape raises {sum('error' in r['reshape'] for r in rows)}")


if __name__ == "__main__":
    main()
