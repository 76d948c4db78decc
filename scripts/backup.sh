#!/usr/bin/env bash
# make backup [BACKUP=file]: dump the database named by DATABASE_URL (default
# the local PostgreSQL's "vcs") in pg_dump's custom format: compressed, and
# restorable table by table or in parallel by pg_restore (scripts/restore.sh).
# The file is written under a temporary name and renamed once pg_dump has
# finished and pg_restore can read its table of contents, so a file with the
# final name is always a complete backup. Nothing in the database is changed.
set -euo pipefail

url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/vcs}
case $url in
  postgres://* | postgresql://*) ;;
  *)
    echo "backup: DATABASE_URL must name a PostgreSQL database (postgres://...)." >&2
    exit 2
    ;;
esac
base=${url%%\?*}
name=${base##*/}
if [[ -z $name || $name == "$base" ]]; then
  echo "backup: DATABASE_URL names no database." >&2
  exit 2
fi

file=${1:-.run/backups/${name}-$(date -u +%Y%m%dT%H%M%SZ).dump}
if [[ -e $file ]]; then
  echo "backup: $file already exists; give another file name." >&2
  exit 2
fi
mkdir -p "$(dirname "$file")"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

started=$(date +%s%N)
pg_dump --format=custom --file="$partial" --dbname="$url"
pg_restore --list "$partial" >/dev/null
mv "$partial" "$file"
trap - EXIT
ms=$((($(date +%s%N) - started) / 1000000))
# The URL may carry a password: name only the database.
printf 'Backed up database %s to %s (%s bytes) in %d.%03d s\n' \
  "$name" "$file" "$(stat -c %s "$file")" $((ms / 1000)) $((ms % 1000))
