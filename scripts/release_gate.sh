#!/usr/bin/env bash
# Release gate (issue #9, item 8): no release while any of these fails.
#   1. `manage.py check --deploy` with production settings shows no warning;
#   2. pip-audit finds no known vulnerability in the pinned requirements;
#   3. bandit finds no high-severity issue (medium confidence or more) in our code.
# Every step runs even when an earlier one failed, so one run shows all the problems.
# docs/security-headers.md ("Release gate") explains the choices, in particular what happens without network.
set -uo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
BIN=$(dirname "$PYTHON")
# Our application packages; tests, migrations and the virtualenv are not shipped code.
APP_PACKAGES=(core accounts communes casefiles assessments reports imports demo config manage.py)
failed=()

echo "== 1/3 manage.py check --deploy (production settings)"
# Safe dummies: the check reads settings only; nothing connects to this database.
if env -u DJANGO_ALLOW_ASYNC_UNSAFE -u DEBUG \
  DJANGO_ENV=production \
  SECRET_KEY="release-gate-dummy-$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  ALLOWED_HOSTS=portal.example.invalid \
  DATABASE_URL=postgres://portal@127.0.0.1:5432/portal \
  "$PYTHON" manage.py check --deploy --fail-level WARNING; then
  echo "check --deploy: no warning"
else
  failed+=("check --deploy")
fi

echo "== 2/3 pip-audit (requirements/dev.txt, which includes base.txt)"
# --no-deps --disable-pip: the files are fully pinned lock files, so there is nothing to resolve
# and no throw-away virtualenv to build.
report=$(mktemp)
log=$(mktemp)
trap 'rm -f "$report" "$log"' EXIT
# Its exit code is not the verdict (it passes when it could audit nothing); the report is.
"$BIN/pip-audit" -r requirements/dev.txt --no-deps --disable-pip --progress-spinner off \
  --format json --output "$report" 2>"$log"
"$PYTHON" scripts/audit_verdict.py "$report"
case $? in
  0) ;;
  2) cat "$log"; failed+=("pip-audit") ;;
  *) failed+=("pip-audit") ;;
esac

echo "== 3/3 bandit (high severity, medium or high confidence)"
if "$BIN/bandit" -r "${APP_PACKAGES[@]}" -x '*/migrations/*,*/tests/*' \
  --severity-level high --confidence-level medium; then
  echo "bandit: no high-severity issue"
else
  failed+=("bandit")
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "RELEASE GATE FAILED: ${failed[*]}"
  exit 1
fi
echo "Release gate passed."
