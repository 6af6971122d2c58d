#!/usr/bin/env bash
# The tutorial's upload round trip with curl, exactly as its examples show it, file by file:
# log in, then per file register the asset, open the upload session, PUT the file with `curl --upload-file`,
# close the session; then create the batch and add the input records in chunks of 1,000.
# PARALLEL=N runs the per-file part through `xargs -P N` (what a capable user scripts); PARALLEL=1 is sequential.
# The token is reused for the whole run (the tutorial allows both; one login is the cheaper choice).
#
# Usage: tutorial-upload.sh <file-list>   (one path per line)
# Env:   ALEGION_API_URL ALEGION_API_KEY ALEGION_USERNAME ALEGION_PASSWORD WORKFLOW_ID BATCH_NAME
#        ASSET_TYPE (image|video)  [FPS FRAME_COUNT for videos]  [PARALLEL=1]
# Prints the batch id.
set -euo pipefail
list="${1:?usage: tutorial-upload.sh <file-list>}"
: "${ALEGION_API_URL:?}" "${ALEGION_API_KEY:?}" "${ALEGION_USERNAME:?}" "${ALEGION_PASSWORD:?}"
: "${WORKFLOW_ID:?}" "${BATCH_NAME:?}" "${ASSET_TYPE:?}"
PARALLEL="${PARALLEL:-1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export IDS="$work/asset-ids"
: > "$IDS"

# Reads one top-level string field of a JSON body on stdin (jq when installed, else sed on the compact body).
field() {
  if command -v jq > /dev/null; then jq -r ".$1"; else sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p"; fi
}
export -f field

TOKEN="$(curl -sS -f -X POST "$ALEGION_API_URL/login" \
  -H "x-api-key: $ALEGION_API_KEY" \
  -H 'Content-Type: application/json' \
  -H 'cache-control: no-cache' \
  --data-raw "{\"username\": \"$ALEGION_USERNAME\", \"password\": \"$ALEGION_PASSWORD\"}" | field access_token)"
export TOKEN

upload_one() {
  local file="$1" name id url body
  name="$(basename "$file")"
  if [ "$ASSET_TYPE" = video ]; then
    body="{\"name\": \"$name\", \"fileName\": \"$name\", \"fps\": $FPS, \"frameCount\": $FRAME_COUNT, \"type\": \"video\"}"
  else
    body="{\"name\": \"$name\", \"fileName\": \"$name\", \"type\": \"$ASSET_TYPE\"}"
  fi
  id="$(curl -sS -f -X POST "$ALEGION_API_URL/assets" \
    -H 'Content-Type: application/json' \
    -H "x-api-key: $ALEGION_API_KEY" \
    -H "authorization: Bearer $TOKEN" \
    --data-raw "$body" | field id)"
  url="$(curl -sS -f -X POST "$ALEGION_API_URL/assets/$id/upload" \
    -H "x-api-key: $ALEGION_API_KEY" \
    -H "authorization: Bearer $TOKEN" | field url)"
  curl -sS -f -o /dev/null --upload-file "$file" "$url"
  curl -sS -f -X DELETE "$ALEGION_API_URL/assets/$id/upload" \
    -H "x-api-key: $ALEGION_API_KEY" \
    -H "authorization: Bearer $TOKEN"
  # One short line per append: O_APPEND writes this small are atomic, so parallel workers never interleave.
  echo "$id" >> "$IDS"
}
export -f upload_one

if [ "$PARALLEL" -le 1 ]; then
  while IFS= read -r file; do
    [ -n "$file" ] && upload_one "$file"
  done < "$list"
else
  grep -v '^$' "$list" | xargs -d '\n' -P "$PARALLEL" -n 1 bash -c 'upload_one "$1"' _
fi

batch="$(curl -sS -f -X POST "$ALEGION_API_URL/workflows/$WORKFLOW_ID/batches" \
  -H "x-api-key: $ALEGION_API_KEY" \
  -H "authorization: Bearer $TOKEN" \
  -H 'content-type: application/json' \
  -H 'accept: application/json' \
  --data-raw "{\"name\": \"$BATCH_NAME\", \"isEnabled\": false}" | field id)"

split -l 1000 -d -a 4 "$IDS" "$work/chunk-"
for chunk in "$work"/chunk-*; do
  ids="$(sed 's/.*/"&"/' "$chunk" | paste -sd, -)"
  curl -sS -f -o /dev/null -X POST "$ALEGION_API_URL/batches/$batch/records/assets" \
    -H "x-api-key: $ALEGION_API_KEY" \
    -H "authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' \
    --data-raw "{\"assetIds\": [$ids]}"
done
echo "$batch"
