# Shared by the bench scripts (sourced, not run): a temp dir cleaned up on exit, the tools, servers
# started and stopped on loopback, wrk runs and the figures read out of them.
# The caller sets, before sourcing: nothing; after: `threads`, `conns`, `duration` for `load`, and
# `accord_bin` (and `bare_bin`, `db`) for `accord` / `start_server`.

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/accord-target}"

# Settings of the caller's shell must not steer the servers under test.
while read -r v; do unset "$v"; done < <(compgen -e | grep '^ACCORD_' || true)

step() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
pg_dbs=()
pg_base="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for d in "${pg_dbs[@]}"; do psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Load generators are runaway scripts by design: the servers under test run without rate limits
# (bench/limits measures them). Every accord started here reads this file from the temp dir.
printf 'rate_limit_per_second = 0\nrate_limit_address_per_second = 0\n' >"$tmp/accord.toml"

# need_tools TOOL…: installs what is missing with apt-get (psql comes as postgresql-client).
need_tools() {
  local missing=() t
  for t in "$@"; do command -v "$t" >/dev/null || missing+=("$t"); done
  [ ${#missing[@]} -eq 0 ] && return
  step "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]/psql/postgresql-client}"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port found"
}

# Runs accord from the temp dir, so no accord.toml of the caller's is read.
accord() { (cd "$tmp" && exec "$accord_bin" "$@"); }

# fresh_db sqlite|postgres NAME: sets `db` to a new, empty database (PostgreSQL ones are dropped
# on exit).
fresh_db() {
  if [ "$1" = sqlite ]; then
    db="sqlite://$tmp/$2.db"
  else
    local name="accord_bench_$RANDOM$RANDOM"
    psql "$pg_base/postgres" -qc "CREATE DATABASE $name" >/dev/null || die "PostgreSQL at $pg_base unreachable"
    pg_dbs+=("$name")
    db="$pg_base/$name"
  fi
}

# start_server accord|bare PORT: starts it in the background on `db`; sets server_pid.
start_server() {
  if [ "$1" = accord ]; then
    (cd "$tmp" && exec "$accord_bin" serve --database-url "$db" --data-dir "$tmp" --listen "127.0.0.1:$2") \
      >>"$tmp/accord.log" 2>&1 &
  else
    "$bare_bin" "$db" "$2" >>"$tmp/bare.log" 2>&1 &
  fi
  server_pid=$!
  pids+=("$server_pid")
}
stop_server() {
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
# wait_200 URL PID: polls until URL answers 200 (30 s at most), failing early if PID exits.
wait_200() {
  local deadline=$(($(now_ms) + 30000))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1")" = 200 ]; do
    kill -0 "$2" 2>/dev/null || { tail -n 20 "$tmp"/*.log >&2 || true; die "server exited before $1 answered"; }
    [ "$(now_ms)" -lt "$deadline" ] || die "$1 did not answer 200 within 30 s"
  done
}
rss_mb() { awk -v k="$2:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
token_for() { # BASE EMAIL PASSWORD
  curl -fsS -X POST -H 'content-type: application/json' -d "{\"email\":\"$2\",\"password\":\"$3\"}" "$1/api/v1/tokens" |
    sed -n 's/.*"token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p'
}
# check_ok URL TOKEN: the endpoint answers 200 (a bench of 401s would measure nothing).
check_ok() {
  local code
  code=$(curl -s -o "$tmp/check.json" -w '%{http_code}' -H "Authorization: Bearer $2" "$1")
  [ "$code" = 200 ] || die "$1 answered $code: $(head -c 300 "$tmp/check.json")"
}
# load NAME TOKEN LUA|URL: a 2 s warm-up, then the measured run into $tmp/wrk-NAME.txt (a Lua
# script makes the requests against `base`; a URL is requested as it is).
load() {
  local target=(-s "$3" "$base")
  [[ "$3" == http* ]] && target=("$3")
  wrk -t"$threads" -c"$conns" -d2s -H "Authorization: Bearer $2" "${target[@]}" >/dev/null
  wrk -t"$threads" -c"$conns" -d"$duration" --latency -H "Authorization: Bearer $2" "${target[@]}" >"$tmp/wrk-$1.txt"
}
# wrk prints latencies as 850.00us / 1.23ms / 1.02s / 1.10m: all in ms.
to_ms() {
  awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) }
         else if (v ~ /m$/) { sub(/m$/, "", v); v *= 60000 } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
         printf "%.2f", v }'
}
rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$tmp/wrk-$1.txt"; }
pct() { awk -v p="$2%" '$1 == p { print $2 }' "$tmp/wrk-$1.txt" | to_ms; }
bad() { local n; n=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$tmp/wrk-$1.txt"); echo "${n:-0}"; }
# timed NAME URL TOKEN RUNS: curl's total time of each run, in ms, sorted into $tmp/timed-NAME.txt.
timed() {
  local times=() t
  for _ in $(seq "$4"); do
    t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $3" "$2")
    [ "${t%% *}" = 200 ] || die "$2 answered ${t%% *}"
    times+=("$(awk -v s="${t#* }" 'BEGIN { printf "%.1f", s * 1000 }')")
  done
  printf '%s\n' "${times[@]}" | sort -n >"$tmp/timed-$1.txt"
}
median() { sed -n "$((($(wc -l <"$tmp/timed-$1.txt") + 1) / 2))p" "$tmp/timed-$1.txt"; }
maxof() { tail -n1 "$tmp/timed-$1.txt"; }
# ratio A B: A's req/s as a percentage of B's; p99x A B: A's p99 over B's.
ratio() { awk -v a="$(rps "$1")" -v b="$(rps "$2")" 'BEGIN { if (b > 0) printf "%.0f", 100 * a / b; else print 0 }'; }
p99x() { awk -v a="$(pct "$1" 99)" -v b="$(pct "$2" 99)" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print 0 }'; }
# ok CONDITION: PASS or MISS for the goal column (a file marks the miss: `ok` runs in $(…)).
ok() { if awk "BEGIN { exit !($1) }"; then echo PASS; else : >"$tmp/missed"; echo MISS; fi; }
# strict_goals: with BENCH_STRICT=1, fails when a goal was missed.
strict_goals() { if [ "${BENCH_STRICT:-}" = 1 ] && [ -e "$tmp/missed" ]; then die "a goal was missed"; fi; }
# invalid_runs: names every wrk run that got a non-2xx answer; fails when there is one.
invalid_runs() {
  local f run invalid=0
  for f in "$tmp"/wrk-*.txt; do
    run=$(basename "$f" .txt); run=${run#wrk-}
    if [ "$(bad "$run")" != 0 ]; then echo "INVALID: $run got $(bad "$run") non-2xx responses" >&2; invalid=1; fi
  done
  if [ "$invalid" != 0 ]; then
    for f in "$tmp"/*.log; do [ -s "$f" ] && { echo "--- last lines of $(basename "$f")" >&2; tail -n 5 "$f" >&2; }; done
    die "some requests failed under load: the numbers above are not valid"
  fi
}
