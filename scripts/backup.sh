#!/usr/bin/env bash
# Back up the PostgreSQL database (pg_dump custom format) and the media files (uploaded
# workbooks, generated reports). Usage: scripts/backup.sh [FILE.dump]; see docs/operations.md.
set -euo pipefail
source "$(dirname "$0")/backup_common.sh"

url=$(postgres_url)
dump=${1:-${BACKUP_FILE:-$ROOT/backups/$(date -u +%Y-%m-%dT%H%M%SZ).dump}}
mkdir -p "$(dirname "$dump")"

# Write to a temporary name first: an interrupted dump must never look like a finished one.
pg_dump --format=custom --no-owner --file="$dump.partial" "$url"
mv "$dump.partial" "$dump"
echo "Database $(redacted "$url") saved to $dump"

media=$(media_root)
if [ -d "$media" ] && [ -n "$(find "$media" -type f -print -quit)" ]; then
  archive=$(media_archive_for "$dump")
  tar -czf "$archive.partial" -C "$media" .
  mv "$archive.partial" "$archive"
  echo "Media files in $media saved to $archive"
else
  echo "No media files in $media; nothing else to save"
fi
