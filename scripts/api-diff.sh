#!/usr/bin/env bash
# API compatibility with the last release: compiles the library and compares its jsii assembly with the
# committed one of the last released version (api/baseline), failing on any change that would break code
# written against that release. Added types and members pass; removed or changed ones fail unless their key is
# listed in api/allowed-breaking-changes.txt (for a breaking change a minor 0.x release means to make).
#
#   scripts/api-diff.sh                     compare (npm run api-diff)
#   scripts/api-diff.sh --update-baseline   at a release: make the current assembly the baseline
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20

# The baseline's files do not carry the names of a package (.jsii, package.json), so that tools that look for
# this package's assembly in the tree (jsii-docgen) never pick the old one; jsii-diff gets them in a temporary
# folder under their real names.
baseline=api/baseline
allowed=api/allowed-breaking-changes.txt

npx jsii --silence-warnings=reserved-word >/dev/null

if [ "${1:-}" = "--update-baseline" ]; then
  mkdir -p "$baseline"
  cp .jsii "$baseline/assembly.jsii.json"
  # The fields jsii-diff reads to load the assembly and find its dependencies.
  node -e '
    const fs = require("fs");
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    const keep = ["name", "version", "description", "license", "main", "types", "stability", "jsii",
      "peerDependencies", "dependencies", "bundleDependencies"];
    const out = Object.fromEntries(keep.filter((k) => pkg[k] !== undefined).map((k) => [k, pkg[k]]));
    fs.writeFileSync(process.argv[1], JSON.stringify(out, null, 2) + "\n");
  ' "$baseline/package-fields.json"
  printf '%s\n' "# Keys of breaking changes accepted since the baseline (see scripts/api-diff.sh); one per line." >"$allowed"
  version=$(node -p 'require("./package.json").version')
  echo "api-diff: the baseline is now $version; commit $baseline and $allowed"
  exit 0
fi

if [ ! -f "$baseline/assembly.jsii.json" ]; then
  echo "api-diff: no baseline in $baseline; run 'scripts/api-diff.sh --update-baseline' at a release" >&2
  exit 1
fi

ignore=()
[ -f "$allowed" ] && ignore=(--ignore-file "$allowed")
old=$(node -p "require('./$baseline/package-fields.json').version")
# inside the tree, so that the released assembly finds its dependencies (cdk8s, ...) in node_modules
released=node_modules/.cache/api-baseline
rm -rf "$released" && mkdir -p "$released"
trap 'rm -rf "$released"' EXIT
cp "$baseline/assembly.jsii.json" "$released/.jsii"
cp "$baseline/package-fields.json" "$released/package.json"
new=$(node -p 'require("./package.json").version')
echo "api-diff: $old (api/baseline) -> $new (this checkout)"
status=0
report=$(npx jsii-diff "$released" . --error-on=all --keys "${ignore[@]}" 2>&1) || status=$?
skipped=$(printf '%s\n' "$report" | grep -c '^skip - ' || true)
printf '%s\n' "$report" | grep -v '^skip - ' || true
[ "$skipped" -gt 0 ] && echo "api-diff: $skipped accepted change(s) listed in $allowed"
if [ "$status" -ne 0 ]; then
  cat >&2 <<MSG
api-diff: the API breaks code written against $old (lines marked 'err' above).
Keep the old API (add, do not remove or change), or, for a breaking change meant for the next minor 0.x
release, add its key (in [brackets]) to $allowed and say so in CHANGELOG.md.
MSG
  exit 1
fi
echo "api-diff: compatible with $old"
