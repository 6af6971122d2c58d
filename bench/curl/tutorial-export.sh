#!/usr/bin/env bash
# The tutorial's export round trip with curl: log in, create a zip export of one batch, poll it once a second
# until it is ready, ask for the download redirect (`curl -i ... | sed` for the location header), then
# `curl -o` the signed URL.
#
# Usage: tutorial-export.sh <out-file>
# Env:   ALEGION_API_URL ALEGION_API_KEY ALEGION_USERNAME ALEGION_PASSWORD WORKFLOW_ID BATCH_ID
set -euo pipefail
out="${1:?usage: tutorial-export.sh <out-file>}"
: "${ALEGION_API_URL:?}" "${ALEGION_API_KEY:?}" "${ALEGION_USERNAME:?}" "${ALEGION_PASSWORD:?}"
: "${WORKFLOW_ID:?}" "${BATCH_ID:?}"

field() {
  if command -v jq > /dev/null; then jq -r ".$1"; else sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p"; fi
}

TOKEN="$(curl -sS -f -X POST "$ALEGION_API_URL/login" \
  -H "x-api-key: $ALEGION_API_KEY" \
  -H 'Content-Type: application/json' \
  -H 'cache-control: no-cache' \
  --data-raw "{\"username\": \"$ALEGION_USERNAME\", \"password\": \"$ALEGION_PASSWORD\"}" | field access_token)"

export_id="$(curl -sS -f -X POST "$ALEGION_API_URL/exports/record-result-exports" \
  -H "x-api-key: $ALEGION_API_KEY" \
  -H "authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' \
  --data-raw "{\"fileType\": \"zip\", \"filename\": \"$(basename "$out")\", \"workflowId\": \"$WORKFLOW_ID\", \"batchIds\": [\"$BATCH_ID\"]}" \
  | field id)"

while :; do
  status="$(curl -sS -f "$ALEGION_API_URL/exports/record-result-exports/$export_id" \
    -H "x-api-key: $ALEGION_API_KEY" \
    -H "authorization: Bearer $TOKEN" | field status)"
  case "$status" in
    ready | downloaded) break ;;
    in-progress) sleep 1 ;;
    *) echo "export ended in status $status" >&2; exit 1 ;;
  esac
done

url="$(curl -sS -i -X GET "$ALEGION_API_URL/exports/record-result-exports/$export_id/download" \
  -H "x-api-key: $ALEGION_API_KEY" \
  -H "authorization: Bearer $TOKEN" | sed -En 's/^location: (.*)\r$/\1/p')"
curl -sS -f -o "$out" "$url"
