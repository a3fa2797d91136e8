#!/usr/bin/env bash
# Tests for scripts/tidy (DESIGN rule 3, "the core is pure").
# Usage: bash tests/scripts/test_tidy.sh <project_source_dir>
# Builds throwaway core trees in a temp directory, runs tidy on each and checks its verdict and
# its `file:line: reason` output; finally runs tidy on the real project tree.
set -euo pipefail

project="$(cd "${1:?usage: test_tidy.sh <project_source_dir>}" && pwd)"
tidy="$project/scripts/tidy"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $1" >&2; [[ -n "${2:-}" ]] && printf '%s\n' "$2" | sed 's/^/    /' >&2; return 0; }

# A fresh tree with one clean core file; prints its path.
new_tree() {
  local tree
  tree="$(mktemp -d "$work/tree.XXXXXX")"
  mkdir -p "$tree/emulator/core" "$tree/emulator/sqs"
  cat >"$tree/emulator/core/clean.h" <<'EOF'
// A clean core header: it may talk about system_clock, time() and rand() in comments.
#pragma once
#include <chrono>
#include <cstdint>
#include "core/clock.h"

namespace slipway::core {
inline int64_t deadline_ms(const Clock& clock, int64_t timeout_ms) {
  return clock.now_us() / 1000 + timeout_ms;  /* not std::time(nullptr) */
}
inline int runtime(int x) { return x; }
inline int timeout(int s) { return s * 1000; }
inline const char* kName = "uv_loop";
}  // namespace slipway::core
EOF
  echo "$tree"
}

# run_tidy TREE: sets $out (stdout+stderr) and $rc.
run_tidy() {
  rc=0
  out="$("$tidy" "$1" 2>&1)" || rc=$?
}

expect_clean() {  # NAME TREE
  run_tidy "$2"
  if ((rc == 0)) && [[ "$out" == *"are clean"* ]]; then pass; else fail "$1: expected clean (rc=$rc)" "$out"; fi
}

# expect_violation NAME LINE: adds emulator/sqs/bad.cpp = clean prelude + LINE at line 3, and
# expects tidy to fail naming emulator/sqs/bad.cpp:3.
expect_violation() {
  local name="$1" line="$2" tree
  tree="$(new_tree)"
  printf '// bad\n#include <string>\n%s\n' "$line" >"$tree/emulator/sqs/bad.cpp"
  run_tidy "$tree"
  if ((rc == 1)) && grep -q '^emulator/sqs/bad\.cpp:3: ' <<<"$out" \
      && [[ "$(tail -n 1 <<<"$out")" == "tidy: "*"violation"* ]] \
      && ! grep -q 'clean\.h' <<<"$out"; then
    pass
  else
    fail "$name: expected a violation at emulator/sqs/bad.cpp:3 (rc=$rc)" "$out"
  fi
}

# expect_allowed NAME LINE: LINE is in a core file and must not trip tidy.
expect_allowed() {
  local tree
  tree="$(new_tree)"
  printf '%s\n' "$2" >"$tree/emulator/sqs/ok.cpp"
  expect_clean "$1" "$tree"
}

# 1. A clean tree passes.
expect_clean "clean tree" "$(new_tree)"

# 2. Every banned category fails and names file:line.
expect_violation "libuv include"      '#include <uv.h>'
expect_violation "libuv sub-header"   '#include <uv/unix.h>'
expect_violation "httplib include"    '#include <httplib.h>'
expect_violation "sqlite include"     '#include <sqlite3.h>'
expect_violation "rapidjson include"  '#include "rapidjson/document.h"'
expect_violation "include with comment" '#include <uv.h>  // just for the types'
expect_violation "system_clock"       'auto t = std::chrono::system_clock::now();'
expect_violation "steady_clock"       'using C = std::chrono::steady_clock;'
expect_violation "high_resolution"    'auto t = std::chrono::high_resolution_clock::now();'
expect_violation "::now("             'auto t = Anything::now();'
expect_violation "random_device"      'std::random_device rd;'
expect_violation "time(nullptr)"      'long t = time(nullptr);'
expect_violation "std::time"          'long t = std::time(nullptr);'
expect_violation "::time"             'long t = ::time(nullptr);'
expect_violation "rand()"             'int r = rand() % 6;'
expect_violation "srand"              'void f() { srand(42); }'
expect_violation "random()"           'long r = random();'
expect_violation "clock()"            'long c = clock();'
expect_violation "gettimeofday"       'void f(timeval* tv) { gettimeofday(tv, nullptr); }'
expect_violation "clock_gettime"      'void f(timespec* ts) { clock_gettime(CLOCK_MONOTONIC, ts); }'
expect_violation "arc4random"         'unsigned r = arc4random_uniform(6);'
expect_violation "getrandom"          'void f(char* b) { getrandom(b, 16, 0); }'
expect_violation "/dev/urandom"       'const char* kPath = "/dev/urandom";'
expect_violation "/dev/random"        'const char* kPath = "/dev/random";'
expect_violation "uv_now"             'auto t = uv_now(loop);'
expect_violation "uv_hrtime"          'auto t = uv_hrtime();'
expect_violation "code after comment block" '/* a comment */ long t = time(nullptr);'
expect_violation "bare allow marker"  'long t = time(nullptr);  // tidy: allow'

# 3. Look-alikes and comments do not trip it.
expect_allowed "timeout(5)"           'int t = timeout(5);'
expect_allowed "runtime(x)"           'int r = runtime(x);'
expect_allowed "comment mention"      'int x = 1;  // system_clock is banned'
expect_allowed "block comment"        $'/* std::random_device and\n   time(nullptr) are banned */\nint x = 1;'
expect_allowed "member calls"         'auto t = clock_->now_us() + rng.random() + c.time() + self->clock();'
expect_allowed "class-qualified"      'long Rng::random() { return 4; }'
expect_allowed "suffixed names"       'int t = deadline_time(1) + operand(2) + my_clock();'
expect_allowed "digit separators"     "long x = 1'000'000; // don't call time(nullptr)"
expect_allowed "commented include"    '// #include <uv.h> lives in platform/'

# 4. The opt-out marker.
expect_allowed "tidy: allow"          'long t = time(nullptr);  // tidy: allow fixture for the tidy test'

# 5. Only the core folders are checked; a file outside them may include libuv.
tree="$(new_tree)"
mkdir -p "$tree/emulator/platform"
printf '#include <uv.h>\n' >"$tree/emulator/platform/loop.cpp"
expect_clean "outside the core" "$tree"

# 6. Several violations: every one is listed, and the summary counts them.
tree="$(new_tree)"
printf '#include <sqlite3.h>\nint x = rand();\n' >"$tree/emulator/core/a.h"
printf 'int y = 0;\nauto t = std::chrono::steady_clock::now();\n' >"$tree/emulator/sqs/b.cpp"
run_tidy "$tree"
if ((rc == 1)) && grep -q '^emulator/core/a\.h:1: ' <<<"$out" && grep -q '^emulator/core/a\.h:2: ' <<<"$out" \
    && grep -q '^emulator/sqs/b\.cpp:2: ' <<<"$out" && [[ "$(tail -n 1 <<<"$out")" == "tidy: 4 violation(s)"*" in 2 of 3 files"* ]]; then
  pass
else
  fail "several violations: all listed and counted (rc=$rc)" "$out"
fi

# 7. A root without core folders is a usage error, not a pass.
run_tidy "$work/tree-does-not-exist"
if ((rc == 2)); then pass; else fail "missing root: expected rc=2 (rc=$rc)" "$out"; fi

# 8. The real project tree is clean, and tidy is fast.
start_ns="$(date +%s%N)"
run_tidy "$project"
elapsed_ms=$((($(date +%s%N) - start_ns) / 1000000))
if ((rc == 0)); then pass; else fail "project tree $project is not clean (rc=$rc)" "$out"; fi
if ((elapsed_ms < 2000)); then pass; else fail "tidy took ${elapsed_ms} ms on the project tree (limit 2000 ms)"; fi

echo "$passed passed, $failed failed"
((failed == 0))
