#!/usr/bin/env bash
# Regenerates every golden file and fixture with real PyTorch (>= 2.6): runs each tests/golden/make_*.py, each
# tests/fixtures/*/make_*.py (from its folder) and each examples/*/snippet.py that writes a committed file beside it.
# The output is deterministic: `git diff` is empty afterwards (docs/testing.md says what may differ and why).
#
#   eng/golden.sh            find a Python with torch >= 2.6 (on Debian 12 as root: install it from Debian 13), run them all
#   eng/golden.sh --probe    only print the Python that would be used (exit 1 when there is none)
#
# The Python is, in this order: $TORCHFACADE_PYTHON, /usr/bin/python3, python3, python (the first whose torch is
# 2.6 or newer). On Debian 12 as root, when none has it, python3-torch, python3-numpy and python3-safetensors are
# installed from Debian 13 "trixie" through the suite eng/native-prereqs.sh configures (pinned at priority 100,
# so only what is asked for with -t trixie moves). Elsewhere it says what to install.
# CI does not run this: the tests read the committed files.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
minimum_major=2
minimum_minor=6

torch_ok() {
  # Prints "python torch numpy" and succeeds when $1 imports torch >= 2.6 and numpy.
  "$1" - "$minimum_major" "$minimum_minor" 2>/dev/null <<'PY'
import sys
import numpy, torch
major, minor = (int(p) for p in torch.__version__.split("+")[0].split(".")[:2])
if (major, minor) < (int(sys.argv[1]), int(sys.argv[2])):
    sys.exit(1)
print(sys.executable, torch.__version__, numpy.__version__)
PY
}

find_python() {
  local candidate path
  for candidate in "${TORCHFACADE_PYTHON:-}" /usr/bin/python3 python3 python; do
    [ -n "$candidate" ] || continue
    path=$(command -v "$candidate" 2>/dev/null) || continue
    if torch_ok "$path" >/dev/null; then
      printf '%s' "$path"
      return 0
    fi
  done
  return 1
}

explain() {
  cat >&2 <<MSG
eng/golden.sh: no Python with PyTorch >= $minimum_major.$minimum_minor and NumPy was found
  (tried \$TORCHFACADE_PYTHON, /usr/bin/python3, python3, python).
  Install one, then run again (or point TORCHFACADE_PYTHON at its interpreter):
    Debian 13 / Ubuntu 25.04+:  apt-get install python3-torch python3-numpy python3-safetensors
    Debian 12 (as root):        ./build.sh golden   (installs them from Debian 13 "trixie", pinned)
    any platform:               python3 -m venv .venv && .venv/bin/pip install "torch>=2.6" numpy safetensors
                                TORCHFACADE_PYTHON=.venv/bin/python ./build.sh golden
MSG
}

install_from_trixie() {
  local os_id="" os_version=""
  if [ -r /etc/os-release ]; then
    # shellcheck disable=SC1091
    . /etc/os-release
    os_id="${ID:-}"; os_version="${VERSION_ID:-}"
  fi
  [ "$os_id" = "debian" ] && [ "$os_version" = "12" ] && [ "$(id -u)" = "0" ] || return 1
  "$root/eng/native-prereqs.sh" --trixie-source
  echo "eng/golden.sh: installing python3-torch, python3-numpy, python3-safetensors from Debian trixie (pinned)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq -t trixie --no-install-recommends python3-torch python3-numpy python3-safetensors >/dev/null
}

python=""
if ! python=$(find_python); then
  if [ "${1:-}" = "--probe" ]; then
    explain
    exit 1
  fi
  if install_from_trixie && python=$(find_python); then
    :
  else
    explain
    exit 1
  fi
fi

read -r _ torch_version numpy_version < <(torch_ok "$python")
if [ "${1:-}" = "--probe" ]; then
  echo "$python (torch $torch_version, numpy $numpy_version)"
  exit 0
fi

echo "golden: $python (torch $torch_version, numpy $numpy_version)"
status=0
run() {
  # run DIR SCRIPT: runs the script from its own folder (the fixture scripts and example snippets write beside themselves).
  echo "== $1/$2"
  if ! (cd "$1" && "$python" "$2"); then
    echo "golden: $1/$2 failed" >&2
    status=1
  fi
}
for script in tests/golden/make_*.py; do
  [ -e "$script" ] || continue
  echo "== $script"
  if ! "$python" "$script"; then
    echo "golden: $script failed" >&2
    status=1
  fi
done
# The fixtures the tests read (tests/fixtures/<area>/make_*.py: .npy/.npz, safetensors and torch.save checkpoints,
# the resume checkpoints, PyTorch's state-dict error kinds) ...
for script in tests/fixtures/*/make_*.py; do
  [ -e "$script" ] || continue
  run "$(dirname "$script")" "$(basename "$script")"
done
# ... and every example whose snippet.py writes a file the C# example reads (a committed .pt/.safetensors/.npy/.npz
# beside it, e.g. examples/15's checkpoint.pt).
for snippet in examples/*/snippet.py; do
  [ -e "$snippet" ] || continue
  dir=$(dirname "$snippet")
  if git ls-files -- "$dir" | grep -Eq '\.(pt|safetensors|npy|npz)$'; then
    run "$dir" snippet.py
  fi
done
du -ch tests/golden/*.npz tests/golden/*.json 2>/dev/null | tail -n1 | sed 's/^/golden: committed size /'
du -ch $(git ls-files tests/fixtures) 2>/dev/null | tail -n1 | sed 's/^/golden: committed fixtures size /'
exit $status
