#!/usr/bin/env bash
# Starts the smtp4dev SMTP sink (Rnwood.Smtp4dev local dotnet tool, see .config/dotnet-tools.json)
# in the foreground, in memory, on the given ports, keeping enough messages for bulk tests.
# Used by the AppHost (executable resource "mailsink") and by scripts/test.sh.
#
# Environment:
#   SMTP4DEV_HTTP_PORT  web UI / API port (127.0.0.1)  [required]
#   SMTP4DEV_SMTP_PORT  SMTP port                      [required]
#   SMTP4DEV_IMAP_PORT, SMTP4DEV_POP3_PORT             [optional; default: disabled]
#   SMTP4DEV_TLS_CERTIFICATE, SMTP4DEV_TLS_CERTIFICATE_PASSWORD
#                       a PKCS#12 file: SMTP then offers STARTTLS with it  [optional; default: no TLS]
set -euo pipefail
: "${SMTP4DEV_HTTP_PORT:?SMTP4DEV_HTTP_PORT must be set}"
: "${SMTP4DEV_SMTP_PORT:?SMTP4DEV_SMTP_PORT must be set}"

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo_root"
version=$(grep -A2 '"rnwood.smtp4dev"' .config/dotnet-tools.json | sed -n 's/.*"version": *"\([^"]*\)".*/\1/p')
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
if [[ ! -d "$packages/rnwood.smtp4dev/$version" ]]; then
  echo "smtp4dev.sh: the smtp4dev tool is not restored; running 'dotnet tool restore' in $repo_root" >&2
  if ! dotnet tool restore >&2; then
    echo "smtp4dev.sh: 'dotnet tool restore' failed. Run it yourself in $repo_root (needs access to NuGet)." >&2
    exit 1
  fi
fi

tls=()
if [[ -n "${SMTP4DEV_TLS_CERTIFICATE:-}" ]]; then
  tls=(--tlsmode=StartTls "--tlscertificate=$SMTP4DEV_TLS_CERTIFICATE" "--tlscertificatepassword=${SMTP4DEV_TLS_CERTIFICATE_PASSWORD:-}")
fi

exec dotnet tool run smtp4dev -- \
  --urls="http://127.0.0.1:$SMTP4DEV_HTTP_PORT" \
  --smtpport="$SMTP4DEV_SMTP_PORT" \
  --imapport="${SMTP4DEV_IMAP_PORT:-}" \
  --pop3port="${SMTP4DEV_POP3_PORT:-}" \
  --hostname=localhost \
  --bindaddress=127.0.0.1 \
  --db= \
  --nousersettings \
  --messagestokeep="${SMTP4DEV_MESSAGES_TO_KEEP:-100000}" \
  --sessionstokeep="${SMTP4DEV_SESSIONS_TO_KEEP:-100000}" \
  "${tls[@]}"
