#!/usr/bin/env node
/**
 * Lists the npm tarball's contents and checks them against scripts/tarball-rules.js: the compiled library
 * (.js and .d.ts for every lib source), .jsii, README.md, API.md, docs/, LICENSE, CHANGELOG.md and the
 * bundled yaml; no tests, examples, TypeScript sources, snapshots, benchmarks, scripts, tsconfig or build
 * leftovers; and every relative link in the shipped Markdown resolves to a shipped file.
 *
 * Usage: node scripts/check-tarball.js [package.tgz | installed package folder]
 *   (default: what `npm pack` would pack now)
 */
'use strict';
const childProcess = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { brokenLinks, contentProblems } = require('./tarball-rules');

const root = path.join(__dirname, '..');
const target = process.argv[2] ? path.resolve(process.argv[2]) : undefined;

function walk(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? walk(path.join(dir, e.name), rel) : [rel];
  });
}

function packedFiles() {
  if (target && fs.statSync(target).isDirectory()) {
    return { files: walk(target).sort(), read: (f) => fs.readFileSync(path.join(target, f), 'utf8') };
  }
  if (target) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tarball-'));
    childProcess.execFileSync('tar', ['-xzf', target, '-C', out]);
    const dir = path.join(out, 'package');
    return { files: walk(dir).sort(), read: (f) => fs.readFileSync(path.join(dir, f), 'utf8'), cleanup: out };
  }
  const json = childProcess.execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const files = JSON.parse(json)[0]
    .files.map((f) => f.path)
    .sort();
  return { files, read: (f) => fs.readFileSync(path.join(root, f), 'utf8') };
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const libSources = walk(path.join(root, 'lib'), 'lib').filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
const docs = fs.existsSync(path.join(root, 'docs')) ? walk(path.join(root, 'docs'), 'docs') : [];
const bins = Object.values(typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : pkg.bin || {}).map((b) =>
  path.posix.normalize(b),
);

const { files, read, cleanup } = packedFiles();
const problems = [
  ...contentProblems(files, { libSources, docs, bins }),
  ...brokenLinks(files, read).map((l) => `broken link: ${l}`),
];
if (cleanup) fs.rmSync(cleanup, { recursive: true, force: true });

const own = files.filter((f) => !f.startsWith('node_modules/'));
const groups = {
  'lib/**/*.js': own.filter((f) => f.startsWith('lib/') && f.endsWith('.js')).length,
  'lib/**/*.d.ts': own.filter((f) => f.startsWith('lib/') && f.endsWith('.d.ts')).length,
  'node_modules/yaml/**': files.length - own.length,
};
const label = target ? process.argv[2] : `${pkg.name}@${pkg.version} (npm pack --dry-run)`;
console.log(`${label}: ${files.length} files`);
for (const f of own.filter((f) => !f.startsWith('lib/'))) console.log(`  ${f}`);
for (const [glob, n] of Object.entries(groups)) console.log(`  ${glob}: ${n} files`);

if (problems.length > 0) {
  console.error(`\nThe tarball's contents are wrong (${problems.length}):`);
  for (const p of problems) console.error(`  - ${p}`);
  console.error("Fix package.json 'files' (or .npmignore), or run `npx jsii` so every lib source is compiled.");
  process.exit(1);
}
console.log('tarball contents: ok');
