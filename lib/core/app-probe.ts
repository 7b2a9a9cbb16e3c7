/**
 * Replacing the startup probe cdk8s-plus gives an app container (internal: not re-exported).
 *
 * cdk8s-plus adds a TCP startup probe on the port of every container that declares one. The kubelet runs
 * it against the pod IP, so an app that listens on 127.0.0.1 only (behind a proxy sidecar) never passes it.
 * The probe is replaced with a JSON patch, applied after cdk8s-plus has rendered the pod (in the form of
 * cdk8s-plus's generated classes, which convert the patched manifest last).
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HealthCheck } from './health-check';
import { PodComposer } from './pod-composer';

/** Where the pod spec sits in each workload kind's manifest, as a JSON pointer. */
const POD_SPEC_POINTER: { [kind: string]: string } = {
  Pod: '/spec',
  CronJob: '/spec/jobTemplate/spec/template/spec',
};

/** Makes `check` the startup probe of the app container `container` of the composer's workload. */
export function replaceAppStartupProbe(composer: PodComposer, container: kplus.Container, check: HealthCheck): void {
  const index = composer.workload.containers.indexOf(container);
  const spec = POD_SPEC_POINTER[composer.workloadKind] ?? '/spec/template/spec';
  ApiObject.of(composer.workload).addJsonPatch(
    JsonPatch.add(`${spec}/containers/${index < 0 ? 0 : index}/startupProbe`, check._toKube()),
  );
}
