#!/usr/bin/env bash
# Installs the Debian packages a target needs, when they are missing and we may.
#   system-deps.sh test    PostgreSQL 15 server binaries (the storage tests' second back end)
#   system-deps.sh bench   the above, plus the baselines: sqlite3 CLI, wrk, nginx
set -euo pipefail

want=("$@")
[ ${#want[@]} -eq 0 ] && want=(test)
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql-15)
command -v chromium >/dev/null || missing+=(chromium)
if [[ " ${want[*]} " == *" bench "* ]]; then
  command -v sqlite3 >/dev/null || missing+=(sqlite3)
  command -v wrk >/dev/null || missing+=(wrk)
  [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # the packaged cluster is not used: tests start their own throwaway one
  if command -v pg_lsclusters >/dev/null; then
    pg_lsclusters -h | awk '{print $1, $2}' | while read -r v n; do pg_ctlcluster "$v" "$n" stop || true; done
  fi
else
  echo "note: missing ${missing[*]}; tests or benchmarks that need them will skip" >&2
fi
