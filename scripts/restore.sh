#!/usr/bin/env bash
# Restore a backup made by backup.sh into DATABASE_URL, replacing what is there.
# Usage: scripts/restore.sh FILE.dump (or BACKUP_FILE=...); CONFIRM=yes skips the question.
set -euo pipefail
source "$(dirname "$0")/backup_common.sh"

url=$(postgres_url)
dump=${1:-${BACKUP_FILE:-}}
if [ -z "$dump" ]; then
  echo "Say which backup to restore: make restore BACKUP_FILE=backups/....dump" >&2
  exit 2
fi
if [ ! -f "$dump" ]; then
  echo "No backup file at $dump" >&2
  exit 2
fi
archive=$(media_archive_for "$dump")
media=$(media_root)

if [ "${CONFIRM:-}" != "yes" ]; then
  echo "This REPLACES every table of $(redacted "$url") with the contents of $dump."
  [ -f "$archive" ] && echo "Media files from $archive will be written into $media."
  read -r -p "Type yes to continue: " answer
  if [ "$answer" != "yes" ]; then
    echo "Nothing was restored."
    exit 1
  fi
fi

# One transaction: a restore that fails half-way leaves the database as it was.
pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$url" "$dump"
echo "Database $(redacted "$url") restored from $dump"

if [ -f "$archive" ]; then
  mkdir -p "$media"
  tar -xzf "$archive" -C "$media"
  echo "Media files restored into $media"
fi
