#!/usr/bin/env bash
# Fuzzes the running binary against its own OpenAPI document with Schemathesis: one run
# per role with that role's key, one without a key (health, metrics, the document, the
# sandbox). Fails on a 5xx, on an answer that its operation does not document (status,
# content type, schema), on an error that is not application/problem+json, and on a
# dropped connection. Runs unattended; at most about three minutes on two busy cores.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION="4.32.5"
# Test cases per operation and phase: about 90 s for the whole run on two idle cores.
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-100}"
# A `GET ?wait=30` may rightly be held 30 s; anything slower is a fault.
REQUEST_TIMEOUT=40

WORK="$PWD/target/schemathesis"
VENV="target/ci-venv"
mkdir -p "$WORK"

if [[ ! -x "$VENV/bin/schemathesis" ]] \
  || [[ "$("$VENV/bin/schemathesis" --version)" != *"$SCHEMATHESIS_VERSION" ]]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

cargo build --locked -p onboard-api --bin onboard

DATA_DIR="$(mktemp -d)"
PORT="$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
SERVER_LOG="$WORK/server.log"

stop_server() {
  if [[ -n "${SERVER_PID:-}" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA_DIR"
}
trap stop_server EXIT

# The rate limits are the sandbox configuration's (2000/s per caller), far above what
# the fuzzer sends; they are raised anyway so that a slow machine's burst is not a 429.
ONBOARD_RATE_LIMIT__PER_SECOND=100000 ONBOARD_RATE_LIMIT__BURST=100000 \
  ONBOARD_TICKETS__ADDRESS_PER_SECOND=100000 ONBOARD_TICKETS__ADDRESS_BURST=100000 RUST_LOG=info \
  target/debug/onboard serve --listen "127.0.0.1:$PORT" --data-dir "$DATA_DIR" \
  >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

ready() {
  "$VENV/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
    "$BASE/readyz" 2>/dev/null
}
for _ in $(seq 1 300); do
  ready && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "onboard serve exited:" >&2; tail -20 "$SERVER_LOG" >&2; exit 1; }
  sleep 0.1
done
ready || { echo "onboard serve is not ready after 30 s" >&2; exit 1; }

ST="$PWD/$VENV/bin/schemathesis"
export SCHEMATHESIS_HOOKS="hooks"
export PYTHONPATH="$PWD/.ci/schemathesis${PYTHONPATH:+:$PYTHONPATH}"
CHECKS="not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,errors_are_problem_json"

# schemathesis RUN_NAME [options…]
fuzz() {
  local name="$1"
  shift
  echo "== schemathesis: $name"
  # From the work directory: Schemathesis keeps its cache in ./.schemathesis.
  (cd "$WORK" && "$ST" run "$BASE/openapi.json" \
    --checks "$CHECKS" \
    --max-examples "$MAX_EXAMPLES" \
    --request-timeout "$REQUEST_TIMEOUT" \
    --seed 1 \
    --no-color \
    --report junit --report-junit-path "$WORK/$name.xml" \
    "$@")
}

requests_before=$(grep -c '"message":"request"' "$SERVER_LOG" || true)
started=$SECONDS
status=0
# The roles some operation names (its `x-onboard-role`).
roles="$("$VENV/bin/python" -c '
import json, sys, urllib.request
doc = json.load(urllib.request.urlopen(sys.argv[1]))
print(" ".join(sorted({op["x-onboard-role"] for item in doc["paths"].values()
                       for op in item.values() if "x-onboard-role" in op})))' "$BASE/openapi.json")"
for role_key in bank:bank_test_key wallet:wallet_test_key merchant:merchant_test_key \
  app:app_test_key operator:admin_test_key; do
  role="${role_key%%:*}"
  auth="Authorization: Bearer ${role_key#*:}"
  if [[ " $roles " == *" $role "* ]]; then
    fuzz "$role" -H "$auth" --include-by "/x-onboard-role == $role" || status=1
  else
    # No operation needs this role: every authenticated one must answer it 403.
    fuzz "$role" -H "$auth" --exclude-tag operations --exclude-tag sandbox \
      --phases examples,coverage || status=1
  fi
done
# The keyless account and ticket operations: the user's credentials authenticate them.
fuzz keyless --include-tag tickets --exclude-operation-id verify_ticket || status=1
# Fault injection goes last: a queued fault makes the parties answer 503 by design.
fuzz anonymous --include-tag operations --include-tag sandbox \
  --exclude-operation-id inject_fault || status=1
fuzz faults --include-operation-id inject_fault || status=1
elapsed=$((SECONDS - started))
requests=$(($(grep -c '"message":"request"' "$SERVER_LOG" || true) - requests_before))

if [[ $status != 0 ]]; then
  echo "the server's last log lines ($SERVER_LOG):" >&2
  tail -20 "$SERVER_LOG" >&2
fi
echo "schemathesis: ${elapsed}s, ${requests} requests, $([[ $status == 0 ]] && echo passed || echo FAILED)"
exit "$status"
