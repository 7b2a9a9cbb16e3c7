/**
 * What the other generators take from one render of generator (a), read once at start-up and never timed:
 * the generated texts a user without this library would paste into their code as string constants (the
 * wait script, the Fluent Bit configuration and its hash, the helpers' images), and the rendered objects of
 * workload 0, which the floor clones.
 */
import { App, Chart } from 'cdk8s';
import { buildOurs } from './ours';
import type { PastedStrings } from './pasted';
import { CHART_ID } from './shape';

/** One render of generator (a): the pasted strings, and workload 0's objects. */
export interface Reference {
  readonly pasted: PastedStrings;
  /** Workload 0's objects as rendered (Deployment, ConfigMap, Service). */
  readonly objects: any[];
}

/** Renders workload 0 with generator (a) and reads what the other generators need. */
export function readReference(): Reference {
  const app = new App({ outdir: 'dist/bench-unused' });
  const chart = new Chart(app, CHART_ID);
  buildOurs(chart, 0);
  app.synthYaml(); // runs the validations, as a synth does
  const objects = chart.toJson();
  const deployment = objects.find((o) => o.kind === 'Deployment');
  const configMap = objects.find((o) => o.kind === 'ConfigMap');
  if (!deployment || !configMap || objects.length !== 3) {
    throw new Error(
      `bench: the reference render has ${objects.map((o) => o.kind).join(', ')}; expected a Deployment, a ` +
        'ConfigMap and a Service: update bench/hand-written.ts and bench/floor.ts to the new shape',
    );
  }
  const images: { [container: string]: string } = {};
  const commands: { [container: string]: string[] } = {};
  for (const c of deployment.spec.template.spec.initContainers) {
    images[c.name] = c.image;
    if (c.command) commands[c.name] = c.command;
  }
  return {
    pasted: {
      images,
      commands,
      fluentBitConfig: { ...configMap.data },
      podAnnotations: { ...deployment.spec.template.metadata.annotations },
    },
    objects,
  };
}
