#!/usr/bin/env bash
# A new user's first commands: clones this checkout's HEAD (committed work only) into a temporary folder with
# nothing beside it, and runs there each command of the README's Set-up block (`npm ci && npx cdk8s synth`,
# `npm ci && npm test`). Exits non-zero if any fails, or if the README's Set-up block has no command.
#   BARE_CLONE_KEEP=1   keep the clone and print its path
# npm reuses its cache (prefer-offline); nothing else is shared with this checkout.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
head=$(git -C "$repo" rev-parse HEAD)

base=$(mktemp -d "${TMPDIR:-/tmp}/bare-clone.XXXXXX")
cleanup() {
  if [ "${BARE_CLONE_KEEP:-}" = 1 ]; then echo "bare-clone-check: kept $base"; else rm -rf "$base"; fi
}
trap cleanup EXIT

clone="$base/cdk8s-pod-patterns"
git clone --quiet --no-checkout "$repo" "$clone"
git -C "$clone" checkout --quiet --detach "$head"
beside=$(find "$base" -mindepth 1 -maxdepth 1 ! -name cdk8s-pod-patterns | wc -l)
if [ "$beside" -ne 0 ]; then
  echo "bare-clone-check: $base holds more than the clone" >&2
  exit 1
fi
echo "bare-clone-check: $(git -C "$clone" log -1 --format='%h %s') in $clone, nothing beside it"

# The commands of the first sh block under '## Set-up', without their comments.
mapfile -t commands < <(awk '
  /^## / { inside = ($0 ~ /^## Set-up/) }
  inside && /^```sh/ { block = 1; next }
  block && /^```/ { exit }
  block { sub(/[[:space:]]+#.*$/, ""); if ($0 != "") print }
' "$clone/README.md")
if [ "${#commands[@]}" -eq 0 ]; then
  echo "bare-clone-check: no commands found in the README's Set-up block" >&2
  exit 1
fi

export CI=true JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export npm_config_prefer_offline=true npm_config_audit=false npm_config_fund=false
cd "$clone"
failed=0
for command in "${commands[@]}"; do
  printf '\n== bare-clone-check: %s\n' "$command"
  start=$SECONDS
  if bash -c "$command"; then
    echo "== bare-clone-check: passed in $((SECONDS - start)) s: $command"
  else
    echo "== bare-clone-check: FAILED after $((SECONDS - start)) s: $command" >&2
    failed=$((failed + 1))
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "bare-clone-check: $failed of ${#commands[@]} README commands failed on a bare clone" >&2
  exit 1
fi
echo "bare-clone-check: all ${#commands[@]} README commands passed on a bare clone"
