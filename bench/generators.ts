/**
 * The three generators, each timed from nothing to the YAML text of N workloads, in three phases: build
 * (constructs or plain objects), synth (`app.synthYaml()`: cdk8s's validation and rendering to JSON) and
 * YAML (cdk8s's writer, timed inside that call).
 */
import { App, Chart, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { Floor } from './floor';
import type { PastedStrings } from './pasted';
import { CHART_ID } from './shape';

/** The generators, in the order their runs are interleaved. */
export const GENERATORS = ['ours', 'handWritten', 'floor'] as const;
export type GeneratorName = (typeof GENERATORS)[number];

/** What generators (b) and (c) start from (read from one render of (a), see reference.ts). */
export interface GeneratorInputs {
  readonly pasted: PastedStrings;
  /** Workload 0's objects as rendered by (a). */
  readonly objects: any[];
}

/** One timed run. */
export interface RunTiming {
  readonly ms: number;
  /** CPU time of the process over the run (all threads, so the GC's helpers count): steadier than wall time on a busy machine. */
  readonly cpuMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  readonly yamlMs: number;
  readonly yaml: string;
}

const now = () => performance.now();
const cpuNow = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/**
 * `app.synthYaml()`, the in-memory form of `app.synth()` (validation, each chart's JSON, YAML), with the time
 * spent in cdk8s's YAML writer measured apart.
 */
function synthYaml(app: App): { yaml: string; yamlMs: number } {
  const write = Yaml.stringify;
  let yamlMs = 0;
  Yaml.stringify = (...docs: any[]) => {
    const t = now();
    try {
      return write.apply(Yaml, docs);
    } finally {
      yamlMs += now() - t;
    }
  };
  try {
    return { yaml: app.synthYaml(), yamlMs };
  } finally {
    Yaml.stringify = write;
  }
}

function timeConstructs(n: number, build: (chart: Construct, i: number) => void): RunTiming {
  const c0 = cpuNow();
  const t0 = now();
  const app = new App({ outdir: 'dist/bench-unused' });
  const chart = new Chart(app, CHART_ID);
  for (let i = 0; i < n; i++) build(chart, i);
  const t1 = now();
  const { yaml, yamlMs } = synthYaml(app);
  const t2 = now();
  return { ms: t2 - t0, cpuMs: cpuNow() - c0, buildMs: t1 - t0, synthMs: t2 - t1 - yamlMs, yamlMs, yaml };
}

function timeFloor(n: number, floor: Floor): RunTiming {
  const c0 = cpuNow();
  const t0 = now();
  const objects: any[] = [];
  for (let i = 0; i < n; i++) objects.push(...floor.objects(i));
  const t1 = now();
  const yaml = Yaml.stringify(...objects);
  const t2 = now();
  return { ms: t2 - t0, cpuMs: cpuNow() - c0, buildMs: t1 - t0, synthMs: 0, yamlMs: t2 - t1, yaml };
}

/**
 * Returns a function that runs one generator over `n` workloads. Generator (a) is loaded only when asked
 * for, so that a process that runs (b) or (c) never loads this library.
 */
export function generator(name: GeneratorName, inputs: GeneratorInputs): (n: number) => RunTiming {
  switch (name) {
    case 'ours': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { buildOurs } = require('./ours') as typeof import('./ours');
      return (n) => timeConstructs(n, buildOurs);
    }
    case 'handWritten': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { buildHandWritten } = require('./hand-written') as typeof import('./hand-written');
      return (n) => timeConstructs(n, (chart, i) => buildHandWritten(chart, i, inputs.pasted));
    }
    case 'floor': {
      const floor = new Floor(inputs.objects);
      return (n) => timeFloor(n, floor);
    }
  }
}
