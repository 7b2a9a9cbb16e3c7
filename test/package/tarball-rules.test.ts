/**
 * The rules scripts/check-tarball.js applies to the npm tarball, on made-up file lists (no build needed).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rules = require('../../scripts/tarball-rules');

const expected = {
  libSources: ['lib/index.ts', 'lib/core/pod-composer.ts'],
  docs: ['docs/wait-for-service.md'],
  bins: [],
};
const good = [
  'package.json',
  'README.md',
  'API.md',
  'LICENSE',
  'CHANGELOG.md',
  '.jsii',
  'docs/wait-for-service.md',
  'lib/index.js',
  'lib/index.d.ts',
  'lib/core/pod-composer.js',
  'lib/core/pod-composer.d.ts',
  'node_modules/yaml/package.json',
  'node_modules/yaml/dist/index.js',
];

describe('contentProblems', () => {
  test('accepts the compiled library, its pages, LICENSE, CHANGELOG and the bundled yaml', () => {
    // GIVEN the files a release ships WHEN checked THEN nothing is wrong
    expect(rules.contentProblems(good, expected)).toEqual([]);
  });

  test.each([
    ['test/pod-composer.test.ts', 'must not ship: test/pod-composer.test.ts (a test file)'],
    ['test/__snapshots__/x.test.ts.snap', 'must not ship: test/__snapshots__/x.test.ts.snap (a test file)'],
    ['lib/__snapshots__/a.snap', 'must not ship: lib/__snapshots__/a.snap (a snapshot)'],
    ['examples/main.js', 'must not ship: examples/main.js (an example app)'],
    ['bench/synth.bench.js', 'must not ship: bench/synth.bench.js (a benchmark)'],
    ['scripts/api-diff.sh', 'must not ship: scripts/api-diff.sh (a CI script)'],
    ['api/baseline/.jsii', 'must not ship: api/baseline/.jsii (the API baseline)'],
    ['lib/index.ts', 'must not ship: lib/index.ts (a TypeScript source (only .d.ts ships))'],
    ['tsconfig.dev.json', 'must not ship: tsconfig.dev.json (a TypeScript configuration)'],
    ['tsconfig.tsbuildinfo', 'must not ship: tsconfig.tsbuildinfo (a build leftover)'],
    ['dist/js/x.tgz', 'must not ship: dist/js/x.tgz (build output)'],
    ['lib/old-name.js', 'must not ship: lib/old-name.js (a build leftover: no lib source compiles to it)'],
    ['node_modules/left-pad/index.js', 'unexpected dependency: node_modules/left-pad/index.js (only yaml is bundled)'],
  ])('refuses %s', (file, problem) => {
    // GIVEN a release with one file too many WHEN checked THEN that file is named with what it is
    expect(rules.contentProblems([...good, file], expected)).toEqual([problem]);
  });

  test('names what is missing, and the source a missing compiled file comes from', () => {
    // GIVEN a release without LICENSE, a page and a compiled file
    const files = good.filter(
      (f) => !['LICENSE', 'docs/wait-for-service.md', 'lib/core/pod-composer.d.ts'].includes(f),
    );

    // WHEN checked THEN each is reported
    expect(rules.contentProblems(files, expected)).toEqual([
      'missing: LICENSE',
      'missing: docs/wait-for-service.md',
      'missing: lib/core/pod-composer.d.ts (compiled from lib/core/pod-composer.ts)',
    ]);
  });

  test('asks for every bin entry', () => {
    // GIVEN a package.json bin that is not shipped WHEN checked THEN it is missing
    expect(rules.contentProblems(good, { ...expected, bins: ['bin/cdk8s-pod-patterns'] })).toEqual([
      'missing: bin/cdk8s-pod-patterns',
    ]);
  });
});

describe('links in the shipped Markdown', () => {
  test('relativeLinks keeps relative targets, not web links, anchors, or links inside code', () => {
    // GIVEN a page with every kind of link
    const markdown = [
      'See [the notes](docs/vault-secrets.md#security) and ![diagram](docs/img/plan.svg "plan").',
      '[cdk8s](https://cdk8s.io), [top](#install), [mail](mailto:a@example.com)',
      '`[not a link](nowhere.md)`',
      '```md',
      '[in a fence](fenced.md)',
      '```',
      '[ref]: ./API.md',
    ].join('\n');

    // WHEN the links are read THEN only the relative targets remain
    expect(rules.relativeLinks(markdown)).toEqual(['docs/vault-secrets.md#security', 'docs/img/plan.svg', './API.md']);
  });

  test('brokenLinks reports links that resolve to no shipped file, relative to the page', () => {
    // GIVEN a README and a page linking back, one link broken
    const pages: { [file: string]: string } = {
      'README.md': '[notes](docs/wait-for-service.md) [gone](docs/missing.md) [api](API.md)',
      'docs/wait-for-service.md': '[back](../README.md#waitforservice)',
    };
    const files = ['README.md', 'API.md', 'docs/wait-for-service.md', 'node_modules/yaml/README.md'];

    // WHEN checked THEN the broken one is named with its page
    expect(rules.brokenLinks(files, (f: string) => pages[f] ?? '')).toEqual(['README.md -> docs/missing.md']);
  });
});
