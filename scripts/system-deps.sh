#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, when they are missing and we may.
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql-15)

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
  echo "note: missing ${missing[*]}; the PostgreSQL variant of the storage tests will be skipped" >&2
fi
