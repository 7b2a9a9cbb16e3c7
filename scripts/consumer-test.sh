#!/usr/bin/env bash
# The package as a user gets it: compiles and packs the library, checks the tarball, installs it into a fresh
# cdk8s app in a temporary folder outside the repository (scripts/consumer-app: package.json, tsconfig.json,
# cdk8s.yaml and a main.ts that uses only the public API), runs `cdk8s synth` there with ts-node (so the
# shipped .d.ts are type-checked) and checks the manifests. Then checks that every relative link in the
# installed README.md and docs resolves to an installed file, and runs the package's command if it has one.
#
# The versions installed are those of the README's Install section unless set:
#   CONSUMER_CDK8S=2.70.106 CONSUMER_CDK8S_PLUS=2.5.6 CONSUMER_CONSTRUCTS=10.4.2 CONSUMER_CDK8S_CLI=2
#   CONSUMER_TYPESCRIPT=5.9 CONSUMER_TS_NODE=10.9
#   CONSUMER_NODE=node@22   run the synth under another Node.js, from the npm registry's `node` package
#   CONSUMER_KEEP=1         keep the app folder and print its path
# npm reuses its cache (--prefer-offline): only what is not cached is downloaded.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20

work=$(mktemp -d "${TMPDIR:-/tmp}/consumer-test.XXXXXX")
cleanup() {
  if [ "${CONSUMER_KEEP:-}" = 1 ]; then echo "consumer-test: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

step() { printf '\n== consumer-test: %s\n' "$*"; }

step "compile and pack"
(cd "$repo" && npx jsii --silence-warnings=reserved-word >/dev/null)
tarball=$(cd "$repo" && npm pack --pack-destination "$work" --ignore-scripts --silent | tail -n 1)
tarball="$work/$tarball"
node "$repo/scripts/check-tarball.js" "$tarball"

step "a fresh cdk8s app in $work/app"
mkdir "$work/app"
cp "$repo/scripts/consumer-app/package.json" "$repo/scripts/consumer-app/tsconfig.json" \
  "$repo/scripts/consumer-app/cdk8s.yaml" "$repo/scripts/consumer-app/main.ts" "$work/app/"
cd "$work/app"

with_version() { if [ -n "$2" ]; then echo "$1@$2"; else echo "$1"; fi; }
runtime=("$tarball" "$(with_version cdk8s "${CONSUMER_CDK8S:-}")"
  "$(with_version cdk8s-plus-28 "${CONSUMER_CDK8S_PLUS:-}")" "$(with_version constructs "${CONSUMER_CONSTRUCTS:-}")")
tools=("$(with_version cdk8s-cli "${CONSUMER_CDK8S_CLI:-}")" "typescript@${CONSUMER_TYPESCRIPT:-5.9}"
  "ts-node@${CONSUMER_TS_NODE:-10.9}")
npm_flags=(--no-audit --no-fund --prefer-offline --save-exact --loglevel=error)
step "npm install ${runtime[*]#"$work/"}"
npm install "${npm_flags[@]}" "${runtime[@]}"
step "npm install --save-dev ${tools[*]}"
npm install "${npm_flags[@]}" --save-dev "${tools[@]}"
# shellcheck disable=SC2016 # JavaScript, not shell
node -e '
  const v = (n) => require(require.resolve(n + "/package.json", { paths: [process.cwd()] })).version;
  console.log(["cdk8s-pod-patterns", "cdk8s", "cdk8s-plus-28", "constructs", "cdk8s-cli", "typescript", "ts-node"]
    .map((n) => `${n} ${v(n)}`).join(", "));'

step "cdk8s synth"
if [ -n "${CONSUMER_NODE:-}" ]; then
  # The npm registry's `node` package holds a Node.js binary; put its folder first on PATH.
  # shellcheck disable=SC2016 # expanded by the shell npx starts
  other_node=$(npx --yes -p "${CONSUMER_NODE}" -c 'command -v node')
  PATH="$(dirname "$other_node"):$PATH"
  export PATH
fi
echo "node $(node --version)"
npx cdk8s synth --check-upgrade=false
node "$repo/scripts/consumer-check.js" "$work/app/dist"

step "the installed package: its contents, and every README link resolves inside it"
node "$repo/scripts/check-tarball.js" node_modules/cdk8s-pod-patterns

step "the README's Install section, pasted into an empty folder"
# Its sh block (with the packed tarball for the package's name), then its tsconfig.json, cdk8s.yaml and main.ts.
readme_block() { # <fence language>: the first such block of the README's '## Install' section
  awk -v lang="$1" '
    /^## / { inside = ($0 ~ /^## Install/) }
    inside && $0 == "```" lang { block = 1; next }
    block && /^```/ { exit }
    block { print }
  ' "$repo/README.md"
}
mkdir "$work/readme-app"
readme_block json >"$work/readme-app/tsconfig.json"
readme_block yaml >"$work/readme-app/cdk8s.yaml"
readme_block ts >"$work/readme-app/main.ts"
readme_block sh >"$work/readme-install.sh"
for f in "$work/readme-app/tsconfig.json" "$work/readme-app/cdk8s.yaml" "$work/readme-app/main.ts" "$work/readme-install.sh"; do
  if [ ! -s "$f" ]; then
    echo "consumer-test: the README's Install section has no block for $(basename "$f")" >&2
    exit 1
  fi
done
sed -i "s#install cdk8s-pod-patterns #install $tarball #" "$work/readme-install.sh"
(
  cd "$work/readme-app"
  export npm_config_prefer_offline=true npm_config_audit=false npm_config_fund=false npm_config_loglevel=error
  cat "$work/readme-install.sh"
  bash -e "$work/readme-install.sh"
  npx cdk8s synth --check-upgrade=false
  test -s dist/my-app.k8s.yaml
  grep -q '^kind: Deployment$' dist/my-app.k8s.yaml
  echo "README sample: dist/my-app.k8s.yaml, $(grep -c '^kind:' dist/my-app.k8s.yaml) objects"
)

step "the package's command"
# ---- cdk8s-pod-patterns bin (doctor / plan), from the installed package -------------------------------
test -x node_modules/.bin/cdk8s-pod-patterns
npx --no-install cdk8s-pod-patterns doctor dist/*.yaml
npx --no-install cdk8s-pod-patterns plan dist/*.yaml >/dev/null
npx --no-install cdk8s-pod-patterns plan --format json dist/*.yaml >"$work/plan.json"
node -e '
  const plans = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const web = plans.find((p) => p.kind === "Deployment" && p.name === "web");
  const order = JSON.stringify(web && web.startupOrder);
  if (order !== JSON.stringify(["wait-for-db", "log-forwarder", "web"])) {
    console.error(`plan: Deployment web starts ${order}, expected wait-for-db, log-forwarder, web`);
    process.exit(1);
  }
  console.log(`plan: ${plans.length} workloads; Deployment web starts ${order}`);
' "$work/plan.json"
echo "cdk8s-pod-patterns doctor and plan: ran from the installed package"
# ---------------------------------------------------------------------------------------------------------

step "ok"
