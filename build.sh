#!/usr/bin/env bash
# TorchFacade's one entry point.
#
#   ./build.sh conform [args]   the main job: run the conformance suite (torchfacade conform) over every
#                               available device; writes artifacts/conformance/report.{md,json}
#   ./build.sh test [args]      build and run every test project (what CI runs); args go to dotnet test
#   ./build.sh bench [args]     BenchmarkDotNet (tests/TorchFacade.Benchmarks); args go to BenchmarkDotNet
#   ./build.sh pack             NuGet packages (library, reference, testing, conformance, the torchfacade tool) into artifacts/packages,
#                               then builds and runs examples/PackagedConsumer against them
#   ./build.sh plot|tour [args] the CLI's other verbs
#   ./build.sh fuzz [args]      the long fuzz of the .npy, .npz, safetensors and torch.save readers (tests/TorchFacade.Fuzz):
#                               100,000 mutants per reader in child processes (crashes counted, not fatal);
#                               --mutants N, --targets npy,npz,safetensors,torch, --seed S; writes artifacts/fuzz/report.{md,json}
#   ./build.sh golden           regenerate every golden file and fixture (tests/golden/make_*.py, tests/fixtures/*/make_*.py, example snippets that write files) with PyTorch >= 2.6
#                               (eng/golden.sh finds or, on Debian 12 as root, installs it); CI uses the committed files
#   ./build.sh doctor           torchfacade doctor: the native runtime actually loaded and known problems with fixes
#   ./build.sh prereqs          only check/install the native prerequisite
#
# Every verb first checks the native prerequisite (eng/native-prereqs.sh): TorchSharp 0.107.0 needs libstdc++
# with GLIBCXX_3.4.32; on Debian 12 as root it is installed from the next Debian release, pinned.
# Build options such as -p:TorchBackend=cuda may be given after the verb (they are passed to dotnet).
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
configuration=${CONFIGURATION:-Release}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }

verb=${1:-}
[ $# -gt 0 ] && shift

# Split the remaining arguments: MSBuild properties (-p:...) go to the build, the rest to the program.
build_args=(); rest=()
for a in "$@"; do
  case "$a" in
    -p:*|/p:*) build_args+=("$a") ;;
    *) rest+=("$a") ;;
  esac
done

prereqs() {
  mkdir -p "$root/artifacts/packages"
  command -v dotnet >/dev/null 2>&1 || { echo "build.sh: the .NET SDK 10 (dotnet) is not on PATH; install it first." >&2; exit 1; }
  "$root/eng/native-prereqs.sh"
}

build() {
  dotnet build "$root/TorchFacade.sln" -c "$configuration" -nologo -v:q -clp:NoSummary ${build_args[@]+"${build_args[@]}"}
}

run_tests() {
  local log total_passed=0 total_failed=0 total_skipped=0 rc=0
  log=$(mktemp)
  for project in tests/TorchFacade.Tests tests/TorchFacade.Reference.Tests tests/TorchFacade.Testing.Tests tests/TorchFacade.Conformance.Tests; do
    echo "== $project"
    set +e
    # Per-test "Passed"/"Skipped" lines and xunit's "[SKIP]" line with its reason are left out of the log (hundreds
    # of CUDA cases are skipped without a GPU); the skip reasons are summarised with their counts below instead.
    dotnet test "$project" -c "$configuration" --no-build -nologo --logger "console;verbosity=normal" \
      ${rest[@]+"${rest[@]}"} 2>&1 | tee "$log" \
      | awk '/\[SKIP\]$/ { getline; next } /^[[:space:]]+(Passed|Skipped) / { next } { print }'
    local status=${PIPESTATUS[0]}
    set -e
    local reasons
    reasons=$(grep -A1 -E '\[SKIP\]$' "$log" | grep -vE '\[SKIP\]$|^--$' | sed -E 's/^\[xUnit\.net [^]]*\] *//' \
      | sort | uniq -c | sort -rn | sed -E 's/^ *([0-9]+) /  \1 × /' || true)
    if [ -n "$reasons" ]; then echo "skipped tests by reason:"; echo "$reasons"; fi
    [ "$status" -eq 0 ] || rc=$status
    local p f k
    p=$(grep -E '^ +Passed: +[0-9]+$' "$log" | tail -n1 | grep -oE '[0-9]+' || echo 0)
    f=$(grep -E '^ +Failed: +[0-9]+$' "$log" | tail -n1 | grep -oE '[0-9]+' || echo 0)
    k=$(grep -E '^ +Skipped: +[0-9]+$' "$log" | tail -n1 | grep -oE '[0-9]+' || echo 0)
    total_passed=$((total_passed + p)); total_failed=$((total_failed + f)); total_skipped=$((total_skipped + k))
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
      echo "build.sh: $project exited with status $status without a failed test (crash or no tests?)" >&2
      total_failed=$((total_failed + 1))
    fi
  done
  rm -f "$log"
  echo
  echo "tests: $total_passed passed, $total_failed failed, $total_skipped skipped"
  return $rc
}

cli() {
  dotnet run --project "$root/src/TorchFacade.Cli" -c "$configuration" --no-build -- "$@"
}

case "$verb" in
  test)
    prereqs; build; run_tests ;;
  conform)
    prereqs; build; cli conform --out artifacts/conformance ${rest[@]+"${rest[@]}"} ;;
  plot|tour|doctor)
    prereqs; build; cli "$verb" ${rest[@]+"${rest[@]}"} ;;
  bench)
    prereqs
    dotnet run --project tests/TorchFacade.Benchmarks -c Release ${build_args[@]+"${build_args[@]}"} -- ${rest[@]+"${rest[@]}"} ;;
  pack)
    prereqs
    mkdir -p artifacts/packages
    for p in src/TorchFacade src/TorchFacade.Reference src/TorchFacade.Testing src/TorchFacade.Conformance src/TorchFacade.Cli; do
      dotnet pack "$p" -c Release -o artifacts/packages -nologo -v:q ${build_args[@]+"${build_args[@]}"}
    done
    # Prove the packages work outside the repository's build: examples/PackagedConsumer references them from the
    # local feed. An earlier pack of the same version may sit in the NuGet cache; drop only our own package ids.
    cache=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')
    for id in torchfacade torchfacade.reference torchfacade.testing torchfacade.conformance torchfacade.cli; do rm -rf "${cache%/}/$id"; done
    echo "== examples/PackagedConsumer (consumes artifacts/packages)"
    dotnet run --project examples/PackagedConsumer -c Release -nologo -v:q
    ls -1 artifacts/packages ;;
  fuzz)
    prereqs
    dotnet build tests/TorchFacade.Fuzz -c Release -nologo -v:q -clp:NoSummary ${build_args[@]+"${build_args[@]}"}
    dotnet run --project tests/TorchFacade.Fuzz -c Release --no-build -- ${rest[@]+"${rest[@]}"} ;;
  golden)
    "$root/eng/golden.sh" ${rest[@]+"${rest[@]}"} ;;
  prereqs)
    prereqs; echo "native prerequisite present." ;;
  ""|-h|--help|help)
    usage ;;
  *)
    echo "build.sh: unknown verb '$verb'" >&2; usage >&2; exit 2 ;;
esac
