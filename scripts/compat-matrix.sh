#!/usr/bin/env bash
# Measures the Install section's compatibility table: runs scripts/consumer-test.sh once per combination
# below (a fresh app each time, versions from the npm registry) and prints one line per combination with its
# outcome and, for a failure, the first error line. The evidence is kept in docs/compatibility.md.
#   scripts/compat-matrix.sh [name ...]   only the named combinations
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

# name | environment for consumer-test.sh
combinations=(
  "default|"
  "oldest-peers|CONSUMER_CDK8S=2.70.106 CONSUMER_CDK8S_PLUS=2.5.6 CONSUMER_CONSTRUCTS=10.4.2"
  "node-18|CONSUMER_NODE=node@18"
  "node-22|CONSUMER_NODE=node@22"
  "node-24|CONSUMER_NODE=node@24"
  "node-26|CONSUMER_NODE=node@26"
  "typescript-6.0|CONSUMER_TYPESCRIPT=6.0"
  "typescript-5.0|CONSUMER_TYPESCRIPT=5.0"
  "typescript-4.9|CONSUMER_TYPESCRIPT=4.9"
  "typescript-7|CONSUMER_TYPESCRIPT=7"
)

logs=$(mktemp -d "${TMPDIR:-/tmp}/compat-matrix.XXXXXX")
printf '%-16s %-6s %s\n' combination result detail
for entry in "${combinations[@]}"; do
  name=${entry%%|*}
  vars=${entry#*|}
  if [ "$#" -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  log="$logs/$name.log"
  start=$SECONDS
  # shellcheck disable=SC2086 # vars is a list of NAME=value words
  if env $vars bash "$repo/scripts/consumer-test.sh" >"$log" 2>&1; then
    result=pass
    detail=$(grep -m1 -E '^cdk8s-pod-patterns [0-9]' "$log")
    detail="$detail; $(grep -m1 -E '^node v' "$log")"
  else
    result=FAIL
    detail=$(grep -m1 -E '^cdk8s-pod-patterns [0-9]' "$log" || true)
    detail="$detail; $(grep -m1 -iE 'error|cannot|fail' "$log" | cut -c1-160)"
  fi
  printf '%-16s %-6s %s (%s s)\n' "$name" "$result" "$detail" "$((SECONDS - start))"
done
echo "logs: $logs"
