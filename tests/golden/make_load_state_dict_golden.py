"""PyTorch 2.6's Module.load_state_dict over random edits of a checkpoint, strict and not.

The module: nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2)) with every entry zeroed. The
checkpoint: that module's state_dict with known values (entry i: arange(numel) * 0.1 + i; num_batches_tracked 7),
then zero to three edits: drop a key, add an unexpected key, give a key a tensor of another shape (more elements, or
the same elements flattened), give a float key float64 values, or prefix every key with "module." (a DataParallel
checkpoint). Loaded with strict True or False. Recorded: the edited checkpoint (key, dtype, shape, values), and the
exception class and message lines, or the missing and unexpected keys and the sum of every entry afterwards.

Writes tests/golden/load_state_dict.json. Run with a Python whose torch is 2.6 or newer (./build.sh golden).
"""
import random

import torch
from torch import nn

import golden_io

SEED = 20261208
COUNT = 100


def zeroed():
    m = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    with torch.no_grad():
        for v in m.state_dict().values():
            v.zero_()
    return m


def checkpoint():
    sd = {}
    for i, (k, v) in enumerate(zeroed().state_dict().items()):
        sd[k] = torch.tensor(7) if v.dtype == torch.int64 else (torch.arange(v.numel(), dtype=torch.float32) * 0.1 + i).reshape(v.shape)
    return sd


def draw(rng):
    edits = []
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        kind = rng.choice(["drop", "drop", "extra", "shape", "flatten", "float64", "prefix"])
        edits.append({"edit": kind, "pick": rng.randrange(1000), "extra": rng.choice(["3.weight", "0.weight_extra", "1.running_mean2", "extra"])})
    return {"edits": edits, "strict": rng.random() < 0.5}


def edited(cfg):
    sd = checkpoint()
    for e in cfg["edits"]:
        keys = list(sd)
        if not keys:
            break
        key = keys[e["pick"] % len(keys)]
        floats = [k for k in keys if sd[k].dtype != torch.int64] or keys
        fkey = floats[e["pick"] % len(floats)]
        if e["edit"] == "drop":
            del sd[key]
        elif e["edit"] == "extra":
            sd[e["extra"]] = torch.ones(2)
        elif e["edit"] == "shape":
            sd[fkey] = torch.ones(sd[fkey].numel() + 1)
        elif e["edit"] == "flatten":
            sd[fkey] = sd[fkey].reshape(-1) if sd[fkey].dim() > 1 else sd[fkey].reshape(1, -1)
        elif e["edit"] == "float64":
            sd[fkey] = sd[fkey].double() * 2
        else:
            sd = {"module." + k: v for k, v in sd.items()}
    return sd


def main():
    rng = random.Random(SEED)
    rows = []
    for _ in range(COUNT):
        cfg = draw(rng)
        m = zeroed()
        sd = edited(cfg)
        entries = [[k, str(v.dtype).replace("torch.", ""), list(v.shape), [float(x) for x in v.flatten().tolist()]] for k, v in sd.items()]
        try:
            result = m.load_state_dict(sd, strict=cfg["strict"])
            row = {"missing": list(result.missing_keys), "unexpected": list(result.unexpected_keys),
                   "sums": {k: float(v.double().sum()) for k, v in m.state_dict().items()}}
        except Exception as e:  # noqa: BLE001 - which exception is the point
            row = {"error": type(e).__name__, "lines": [line.strip() for line in str(e).split("\n") if line.strip()]}
        rows.append({"config": cfg, "checkpoint": entries, **row})
    golden_io.write("load_state_dict.json", SEED, {"rows": rows})
    print(f"load_state_dict.json: {len(rows)} loads, {sum('error' in r for r in rows)} raise")


if __name__ == "__main__":
    main()
