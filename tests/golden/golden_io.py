"""Writes one golden JSON file beside the make_*_golden.py scripts: the versions that made it, the seed, the data.

Compact, deterministic JSON (no NaN: every number the scripts record is finite), so `./build.sh golden` reruns to the
same bytes.
"""
import json
import os
import platform

import numpy as np
import torch


def write(name, seed, data, sort_keys=False):
    """Writes tests/golden/<name> with {"torch", "numpy", "python", "seed", **data} and returns its path."""
    out = {"torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version(), "seed": seed, **data}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
    with open(path, "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"), sort_keys=sort_keys, allow_nan=False)
        f.write("\n")
    return path
