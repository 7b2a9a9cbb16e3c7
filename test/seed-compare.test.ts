import { cdk8sPlusPodDefaults, compareWithSeed, without } from './util/seed-compare';

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

  test('the shared default lists address a Pod or a pod template, and `without` drops only listed entries', () => {
    expect(Object.keys(cdk8sPlusPodDefaults(''))).toContain('spec.dnsPolicy');
    expect(Object.keys(cdk8sPlusPodDefaults(''))).toContain('metadata.labels.cdk8s.io/metadata.addr');
    expect(Object.keys(cdk8sPlusPodDefaults('spec.template'))).toContain('spec.template.spec.dnsPolicy');
    expect(Object.keys(without(cdk8sPlusPodDefaults(''), 'spec.restartPolicy'))).not.toContain('spec.restartPolicy');
    expect(() => without(cdk8sPlusPodDefaults(''), 'spec.nope')).toThrow('without: no entry spec.nope');
  });
});
