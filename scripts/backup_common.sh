# Shared by backup.sh and restore.sh: where the database and the media files are.
# Like config/settings.py, a real environment variable wins over the optional .env file.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

setting() {
  local name=$1 default=${2:-}
  if [ -n "${!name:-}" ]; then
    printf '%s\n' "${!name}"
  elif [ -f "$ROOT/.env" ] && grep -qE "^${name}=." "$ROOT/.env"; then
    grep -E "^${name}=" "$ROOT/.env" | tail -n 1 | cut -d= -f2-
  else
    printf '%s\n' "$default"
  fi
}

# libpq only understands postgres:// and postgresql://; django-environ also accepts these aliases.
postgres_url() {
  local url
  url=$(setting DATABASE_URL)
  case "$url" in
    postgres://* | postgresql://*) printf '%s\n' "$url" ;;
    pgsql://* | psql://*) printf 'postgresql://%s\n' "${url#*://}" ;;
    *)
      echo "DATABASE_URL is not a PostgreSQL database (${url%%://*}); backup and restore work" \
        "with PostgreSQL only. For SQLite, copy db.sqlite3 while the portal is stopped." >&2
      return 2
      ;;
  esac
}

# For messages: the URL without its password.
redacted() { sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#' <<<"$1"; }

media_root() { setting MEDIA_ROOT "$ROOT/media"; }

# backups/2026-11-25T1400.dump -> backups/2026-11-25T1400.media.tar.gz
media_archive_for() { printf '%s.media.tar.gz\n' "${1%.dump}"; }
