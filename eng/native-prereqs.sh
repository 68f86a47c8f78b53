#!/usr/bin/env bash
# Checks (and on Debian 12 as root, installs) the native prerequisite of TorchSharp 0.107.0:
# libLibTorchSharp.so needs libstdc++ with the symbol version GLIBCXX_3.4.32 (GCC 13 or newer).
#
#   eng/native-prereqs.sh          check; install on Debian 12 when root; else print what to run
#   eng/native-prereqs.sh --check  check only (exit 0 when present, 1 when missing)
#   eng/native-prereqs.sh --trixie-source
#                                  on Debian 12 as root only add the pinned trixie suite and refresh its package
#                                  list (eng/golden.sh uses it to install python3-torch from there)
#
# The Debian mirror is read from the machine's own apt sources; no address is written here.
# Idempotent: when the symbol is already there it returns at once.
set -euo pipefail

needed="GLIBCXX_3.4.32"
list_name="torchfacade-trixie"

find_libstdcxx() {
  local path
  path=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64|libstdc\+\+\.so\.6 .*AArch64/ {print $NF; exit}')
  [ -n "$path" ] || path=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6/ {print $NF; exit}')
  printf '%s' "$path"
}

has_symbol() {
  local lib
  lib=$(find_libstdcxx)
  [ -n "$lib" ] && [ -r "$lib" ] && grep -aq "$needed" "$lib"
}

# Adds Debian 13 "trixie" as a pinned apt source (priority 100: nothing moves unless asked with -t trixie) and
# refreshes only its package list. Needs $mirror (from debian_mirror).
configure_trixie() {
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  cat > "/etc/apt/sources.list.d/$list_name.sources" <<SRC
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: $keyring
SRC
  cat > "/etc/apt/preferences.d/$list_name" <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq -o Dir::Etc::sourcelist="sources.list.d/$list_name.sources" \
    -o Dir::Etc::sourceparts="-" -o APT::Get::List-Cleanup="0"
}

os_id=""; os_version=""
if [ -r /etc/os-release ]; then
  # shellcheck disable=SC1091
  . /etc/os-release
  os_id="${ID:-}"; os_version="${VERSION_ID:-}"
fi

# The URI of the main Debian archive as the machine's apt sources name it (deb822 or one-line form).
debian_mirror() {
  local f uri=""
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    uri=$(awk '
      /^[[:space:]]*$/ { if (u != "" && s ~ /bookworm( |$)/ && s !~ /security/) { print u; exit } u=""; s=""; next }
      /^URIs:/ { u=$2 }
      /^Suites:/ { $1=""; s=$0 }
      END { if (u != "" && s ~ /bookworm( |$)/ && s !~ /security/) print u }' "$f" | head -n1)
    [ -n "$uri" ] && break
  done
  if [ -z "$uri" ]; then
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -r "$f" ] || continue
      uri=$(awk '$1=="deb" && $0 !~ /security/ { for (i=2;i<=NF;i++) if ($i !~ /^\[/ && $i ~ /:\/\//) { if ($(i+1)=="bookworm") { print $i; exit } } }' "$f" | head -n1)
      [ -n "$uri" ] && break
    done
  fi
  printf '%s' "$uri"
}

explain() {
  cat >&2 <<MSG
TorchFacade: the native prerequisite is missing.
  TorchSharp 0.107.0 (libLibTorchSharp.so) needs libstdc++ with $needed (GCC 13 or newer);
  this machine's libstdc++.so.6 ($(find_libstdcxx)) does not provide it.
MSG
  if [ "$os_id" = "debian" ] && [ "$os_version" = "12" ]; then
    cat >&2 <<MSG
  On Debian 12, run this script as root (it installs libstdc++6 from Debian 13 'trixie' through
  your configured Debian mirror, pinned so nothing else moves to trixie):
    sudo $0
MSG
  else
    cat >&2 <<MSG
  Install a libstdc++6 from GCC 13 or newer (Ubuntu 24.04+, Debian 13+ and Windows already have it),
  or run on a distribution that ships one.
MSG
  fi
}

if [ "${1:-}" = "--trixie-source" ]; then
  if [ "$os_id" != "debian" ] || [ "$os_version" != "12" ] || [ "$(id -u)" != "0" ]; then
    echo "native-prereqs: --trixie-source is for Debian 12 as root" >&2
    exit 1
  fi
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || { echo "native-prereqs: no Debian 'bookworm' entry was found in the apt sources to take the mirror from" >&2; exit 1; }
  configure_trixie
  exit 0
fi

if has_symbol; then
  exit 0
fi

[ "${1:-}" = "--check" ] && exit 1

if [ "$os_id" != "debian" ] || [ "$os_version" != "12" ] || [ "$(id -u)" != "0" ]; then
  explain
  exit 1
fi

mirror=$(debian_mirror)
if [ -z "$mirror" ]; then
  explain
  echo "  (no Debian 'bookworm' entry was found in the apt sources to take the mirror from)" >&2
  exit 1
fi

echo "TorchFacade: installing libstdc++6 from Debian trixie (for $needed) through the configured mirror..."
configure_trixie
apt-get install -y -qq -t trixie --no-install-recommends libstdc++6 >/dev/null

if has_symbol; then
  echo "TorchFacade: $needed is now available ($(find_libstdcxx))."
  exit 0
fi
explain
exit 1
