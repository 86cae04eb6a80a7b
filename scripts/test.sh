#!/usr/bin/env bash
# Run the test suite. Starts a throwaway PostgreSQL cluster for it unless TEST_DATABASE_URL
# is already set, and removes the cluster afterwards. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
cluster=""
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  if command -v initdb >/dev/null 2>&1 || [ -x /usr/lib/postgresql/15/bin/initdb ]; then
    cluster=$(mktemp -d /tmp/rapporteur-pg.XXXXXX)
    trap 'scripts/pg-cluster.sh stop "$cluster"' EXIT
    TEST_DATABASE_URL=$(scripts/pg-cluster.sh start "$cluster")
    export TEST_DATABASE_URL
    echo "PostgreSQL for the tests: $TEST_DATABASE_URL"
  else
    echo "initdb not found: PostgreSQL tests will be skipped" >&2
  fi
fi
# Two workers (each with its own PostgreSQL database: tests/conftest.py) on the two cores.
python -m pytest -n "${TEST_WORKERS:-2}" "$@"
