import { compareWithSeed } from './util/seed-compare';

describe('compareWithSeed', () => {
  const seed = { kind: 'Pod', spec: { containers: [{ name: 'app', image: 'a:1', args: ['x'] }] } };

  test('equal manifests have no problems', () => {
    expect(compareWithSeed(seed, seed, { changed: {}, added: {} })).toEqual([]);
  });

  test('reports changed, missing and added fields, and unused exceptions', () => {
    const ours = { kind: 'Pod', spec: { containers: [{ name: 'app', image: 'a:2', extra: true }] } };
    expect(compareWithSeed(seed, ours, { changed: {}, added: { 'spec.volumes': 'unused' } })).toEqual([
      'changed: spec.containers[app].image: seed "a:1", ours "a:2"',
      'missing: spec.containers[app].args: seed ["x"]',
      'added: spec.containers[app].extra: true',
      'unused exception: spec.volumes',
    ]);
  });

  test('exceptions cover a path and everything below it', () => {
    const ours = { kind: 'Pod', spec: { containers: [{ name: 'app', image: 'a:1', args: ['y'], extra: { a: 1 } }] } };
    expect(
      compareWithSeed(seed, ours, {
        changed: { 'spec.containers[app].args': 'split' },
        added: { 'spec.containers[app].extra': 'safe default' },
      }),
    ).toEqual([]);
  });
});
