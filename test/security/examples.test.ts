/**
 * Every example's output against the restricted Pod Security profile and the secret-leak scan.
 */
import { Testing } from 'cdk8s';
import { buildAll } from '../../examples/main';
import { podSpecOf, validateManifest } from '../util/manifest';
import { describeViolation, restrictedViolations } from './restricted-profile';
import { secretLeaks } from './secret-leaks';

/**
 * The only restricted-profile findings allowed in the examples: each one an explicit, typed opt-out in the
 * example's code (`AppSecurity.baseline(...)`), with its reason there.
 */
const DECLARED = [
  // 03-nginx-static: the official nginx image starts as root and needs CHOWN, SETGID and SETUID
  'Deployment/nginx-static app container nginx: runAsNonRoot: runAsNonRoot is false, not true',
  'Deployment/nginx-static app container nginx: capabilities: capabilities add ["CHOWN","SETGID","SETUID"]',
];

function exampleManifests(): any[] {
  const app = Testing.app();
  return buildAll(app).flatMap((chart) => Testing.synth(chart));
}

describe('every example', () => {
  const manifests = exampleManifests();

  test('the examples synthesize valid objects', () => {
    manifests.forEach(validateManifest);
    expect(manifests.length).toBeGreaterThan(9);
  });

  test('every container meets the restricted profile, but for the opt-outs declared in the examples', () => {
    const found = manifests.flatMap(restrictedViolations).map(describeViolation);
    expect(found).toEqual(DECLARED);
  });

  test('every helper container the patterns add meets the restricted profile and has a read-only root', () => {
    const helpers = manifests.flatMap(restrictedViolations).filter((v) => v.role !== 'app');
    expect(helpers).toEqual([]);
    const writableRoots = manifests
      .filter((m) => podSpecOf(m) !== undefined)
      .flatMap((m) => podSpecOf(m).initContainers ?? [])
      .filter((c: any) => c.securityContext?.readOnlyRootFilesystem !== true)
      .map((c: any) => c.name);
    expect(writableRoots).toEqual([]);
  });

  test('no Secret value reaches argv, a plain env value, an annotation, a label or a ConfigMap', () => {
    expect(secretLeaks(manifests)).toEqual([]);
  });
});
