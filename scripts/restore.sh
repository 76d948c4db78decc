#!/usr/bin/env bash
# make restore BACKUP=file [RESTORE_DB=name]: restore a backup made by
# scripts/backup.sh into a NEW database on the server DATABASE_URL points at,
# then run `manage.py check_ledger` there. It never restores over an existing
# database (the live one included): a target that exists is refused, and
# CREATE DATABASE refuses it again if one appears in between. A restore that
# fails drops the half-restored database it created. The exit status is the
# checker's: 0 only when the restored ledger holds every invariant.
set -euo pipefail
BIN=${BIN:-.venv/bin}

file=${1:-}
if [[ -z $file || ! -f $file ]]; then
  echo "usage: scripts/restore.sh BACKUP_FILE [NEW_DATABASE_NAME]  (make restore BACKUP=... [RESTORE_DB=...])" >&2
  exit 2
fi
url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/vcs}
case $url in
  postgres://* | postgresql://*) ;;
  *)
    echo "restore: DATABASE_URL must name a PostgreSQL server (postgres://...)." >&2
    exit 2
    ;;
esac
base=${url%%\?*}
query=${url#"$base"}
server=${base%/*}
live=${base##*/}
target=${2:-${live}_restore_$(date -u +%Y%m%d%H%M%S)}
if [[ ! $target =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]]; then
  echo "restore: $target is not a plain database name (letters, digits, underscores)." >&2
  exit 2
fi
if [[ $target == "$live" ]]; then
  echo "restore: $target is the live database; restore into a new one." >&2
  exit 2
fi
admin="$server/postgres$query"
target_url="$server/$target$query"
exists=$(psql "$admin" -XAtqc "SELECT 1 FROM pg_database WHERE datname = '$target'")
if [[ -n $exists ]]; then
  echo "restore: database $target already exists; refusing to restore over it." >&2
  exit 2
fi

started=$(date +%s%N)
psql "$admin" -Xq -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$target\" TEMPLATE template0"
trap 'echo "restore: failed; dropping the half-restored $target" >&2;
      psql "$admin" -Xq -c "DROP DATABASE IF EXISTS \"$target\" WITH (FORCE)"' ERR
# --no-owner: the tables belong to whoever restores, so a restore works on a
# server whose roles differ from the one the backup came from.
pg_restore --dbname="$target_url" --exit-on-error --no-owner --jobs="${RESTORE_JOBS:-2}" "$file"
trap - ERR
ms=$((($(date +%s%N) - started) / 1000000))
printf 'Restored %s into the new database %s in %d.%03d s\n\n' \
  "$file" "$target" $((ms / 1000)) $((ms % 1000))

status=0
DATABASE_URL=$target_url "$BIN/python" manage.py check_ledger || status=$?
echo
echo "The restored copy is kept in the database $target: drop it when you are done with it."
exit $status
