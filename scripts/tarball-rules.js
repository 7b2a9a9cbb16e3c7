/**
 * What the npm tarball must and must not hold, as plain functions over a list of paths (relative to the
 * package root, '/'-separated). Used by scripts/check-tarball.js and scripts/consumer-test.sh, and tested in
 * test/package/tarball-rules.test.ts.
 */
'use strict';
const path = require('path');

/** Files every release ships, besides the compiled library. */
const REQUIRED_FILES = ['package.json', 'README.md', 'API.md', 'LICENSE', 'CHANGELOG.md', '.jsii'];

/** The bundled runtime dependency (package.json bundleDependencies). */
const BUNDLED = ['node_modules/yaml/package.json', 'node_modules/yaml/dist/index.js'];

/** Paths that must never ship: [pattern, what it is]. Bundled node_modules are exempt from these. */
const FORBIDDEN = [
  [/^test\//, 'a test file'],
  [/(^|\/)__snapshots__\/|\.snap$/, 'a snapshot'],
  [/\.test\.[jt]s$/, 'a test file'],
  [/^examples\//, 'an example app'],
  [/^bench\//, 'a benchmark'],
  [/^scripts\//, 'a CI script'],
  [/^api\//, 'the API baseline'],
  [/^\.ci\//, 'CI configuration'],
  [/^dist\//, 'build output'],
  [/^coverage\//, 'a coverage report'],
  [/(^|\/)\.snippets\//, 'a compiled README sample'],
  [/(^|\/)tsconfig[^/]*\.json$/, 'a TypeScript configuration'],
  [/\.tsbuildinfo$/, 'a build leftover'],
  [/\.tgz$/, 'a packed tarball'],
  [/(^|\/)jest\.[^/]*config\.js$|(^|\/)jest\.config\.js$/, 'a jest configuration'],
  [/(^|\/)eslint\.config\.m?js$/, 'a lint configuration'],
  [/(^|\/)\.(prettierrc[^/]*|prettierignore|gitignore|npmignore|git)$/, 'a tool configuration'],
  [/^cdk8s\.yaml$/, 'the examples’ cdk8s configuration'],
  [/^package-lock\.json$/, 'the lockfile'],
  [/(?<!\.d)\.ts$/, 'a TypeScript source (only .d.ts ships)'],
];

/** Relative link targets in a Markdown text: inline `[x](target)`, images, and reference definitions. */
function relativeLinks(markdown) {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const targets = [
    ...[...withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
    ...[...withoutCode.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]),
  ];
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#'));
}

/**
 * Links in the shipped Markdown files that do not resolve to a shipped file.
 * @param files the shipped paths
 * @param readFile reads a shipped file's text by its path
 * @returns one 'README.md -> docs/x.md' line per broken link
 */
function brokenLinks(files, readFile) {
  const shipped = new Set(files);
  const broken = [];
  for (const file of files.filter((f) => f.endsWith('.md') && !f.startsWith('node_modules/'))) {
    for (const target of relativeLinks(readFile(file))) {
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(target.split('#')[0])));
      if (!shipped.has(resolved)) broken.push(`${file} -> ${target}`);
    }
  }
  return broken;
}

/**
 * Problems with a tarball's file list.
 * @param files the shipped paths
 * @param expected `{ libSources, docs, bins }`: the repository's lib/**.ts sources (not .d.ts), its docs/
 *   files, and the package.json bin paths, each of which must ship (compiled, for the sources)
 * @returns human-readable problems; empty when the contents are right
 */
function contentProblems(files, expected) {
  const shipped = new Set(files);
  const problems = [];
  for (const f of [...REQUIRED_FILES, ...BUNDLED, ...expected.docs, ...(expected.bins || [])]) {
    if (!shipped.has(f)) problems.push(`missing: ${f}`);
  }
  for (const source of expected.libSources) {
    const base = source.replace(/\.ts$/, '');
    for (const f of [`${base}.js`, `${base}.d.ts`]) {
      if (!shipped.has(f)) problems.push(`missing: ${f} (compiled from ${source})`);
    }
  }
  const sources = new Set(expected.libSources.map((s) => s.replace(/\.ts$/, '')));
  for (const f of files) {
    if (f.startsWith('node_modules/')) {
      // npm links the bundled yaml's command into node_modules/.bin when it installs the package.
      if (!f.startsWith('node_modules/yaml/') && f !== 'node_modules/.bin/yaml')
        problems.push(`unexpected dependency: ${f} (only yaml is bundled)`);
      continue;
    }
    const rule = FORBIDDEN.find(([pattern]) => pattern.test(f));
    if (rule) {
      problems.push(`must not ship: ${f} (${rule[1]})`);
      continue;
    }
    if (f.startsWith('lib/') && /\.(js|d\.ts)$/.test(f) && !sources.has(f.replace(/\.(js|d\.ts)$/, ''))) {
      problems.push(`must not ship: ${f} (a build leftover: no lib source compiles to it)`);
    }
  }
  return problems;
}

module.exports = { REQUIRED_FILES, BUNDLED, relativeLinks, brokenLinks, contentProblems };
