#!/usr/bin/env bash
# Records the public API of the shipped libraries in their PublicAPI.Unshipped.txt files.
#
#   eng/update-public-api.sh              every shipped library
#   eng/update-public-api.sh TorchFacade  only the named projects (src/<name>)
#
# The build fails with RS0016 ("symbol is not part of the declared public API") when a public member is missing from
# a project's PublicAPI.Shipped.txt / PublicAPI.Unshipped.txt, and with RS0017 when a listed member is no longer
# public. This script applies the PublicApiAnalyzers' own code fixes (dotnet format analyzers) for both, then sorts
# each Unshipped file (after its '#nullable enable' line) so that concurrent additions merge cleanly (.gitattributes
# union-merges these files). Review the diff: every line is a public API change.
set -euo pipefail
cd "$(dirname "$0")/.."
projects=("$@")
[ ${#projects[@]} -gt 0 ] || projects=(TorchFacade TorchFacade.Reference TorchFacade.Testing TorchFacade.Conformance)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for name in "${projects[@]}"; do
  dir="src/$name"
  [ -f "$dir/$name.csproj" ] || { echo "update-public-api.sh: no project $dir/$name.csproj" >&2; exit 2; }
  for f in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    [ -f "$dir/$f" ] || printf '#nullable enable\n' > "$dir/$f"
  done
  echo "== $name"
  # One pass records every RS0016/RS0017 the analyzer reports (add a second pass to the loop if a build still
  # reports one).
  for pass in 1; do
    dotnet format analyzers "$dir/$name.csproj" --diagnostics RS0016 RS0017 --severity warn -v q || true
  done
  unshipped="$dir/PublicAPI.Unshipped.txt"
  { echo '#nullable enable'; grep -v '^#nullable enable$' "$unshipped" | grep -v '^[[:space:]]*$' | LC_ALL=C sort -u; } > "$unshipped.tmp"
  mv "$unshipped.tmp" "$unshipped"
  echo "   $(($(wc -l < "$unshipped") - 1)) unshipped + $(($(grep -cv '^#' "$dir/PublicAPI.Shipped.txt" || true))) shipped entries"
done
echo "Now build: dotnet build TorchFacade.sln -c Release (RS0016/RS0017 are errors)."
