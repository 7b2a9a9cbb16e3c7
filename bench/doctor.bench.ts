/**
 * Doctor benchmark: the YAML of N benchmark workloads (the synth benchmark's shape, built by its generator
 * (a), bench/ours.ts), read by the doctor, against the YAML parse alone. Reports medians and the share the rules add.
 *
 * The YAML is made once: DISTINCT workloads are synthesized with the patterns and copied, renamed, up to N.
 *
 *   npm run bench                          # N=5000, 5 rounds
 *   BENCH_DOCTOR_N=1000 BENCH_DOCTOR_ROUNDS=5 npm run bench
 */
import { App, Chart, Yaml } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { diagnose } from '../lib/cli/doctor';
import { parseManifests, ReadResult } from '../lib/cli/read-manifests';
import { buildOurs } from './ours';

const N = Number(process.env.BENCH_DOCTOR_N ?? 5000);
const DISTINCT = Math.min(N, 100);
const ROUNDS = Number(process.env.BENCH_DOCTOR_ROUNDS ?? 3);

/** The YAML of N workloads: DISTINCT synthesized ones, copied with unique names and labels. */
function makeYaml(): string {
  const app = new App({ outdir: '/tmp/bench-unused' });
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < DISTINCT; i++) buildOurs(chart, i);
  const base = Yaml.stringify(...chart.toJson());
  const copies: string[] = [];
  for (let copy = 0; copy * DISTINCT < N; copy++) {
    copies.push(copy === 0 ? base : base.replace(/bench-app-(\d+)/g, `bench-c${copy}-app-$1`));
  }
  return copies.join('---\n');
}

function timeParse(yaml: string): number {
  const start = process.hrtime.bigint();
  const objects = parseAllDocuments(yaml).map((d) => d.toJS());
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (objects.length === 0) throw new Error('nothing parsed');
  return ms;
}

let lastFindings = 0;
let lastObjects = 0;

function timeDoctor(yaml: string): number {
  const start = process.hrtime.bigint();
  const read: ReadResult = { documents: [], problems: [], notes: [], skipped: {}, files: 1 };
  parseManifests(yaml, 'bench.yaml', read);
  const findings = diagnose(read);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  lastFindings = findings.length;
  lastObjects = read.documents.length;
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const made = process.hrtime.bigint();
  const yaml = makeYaml();
  const makeMs = Number(process.hrtime.bigint() - made) / 1e6;
  timeParse(yaml);
  timeDoctor(yaml);
  const parse: number[] = [];
  const doctor: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      parse.push(timeParse(yaml));
      doctor.push(timeDoctor(yaml));
    } else {
      doctor.push(timeDoctor(yaml));
      parse.push(timeParse(yaml));
    }
  }
  const p = median(parse);
  const d = median(doctor);
  const added = (d - p) / p;
  console.log(
    `doctor benchmark: ${N} workloads (${lastObjects} objects, ${(yaml.length / 2 ** 20).toFixed(1)} MiB of YAML, made in ${Math.round(makeMs)} ms), ${ROUNDS} rounds, medians`,
  );
  console.log(`  YAML parse alone      ${Math.round(p)} ms`);
  console.log(`  doctor (parse+rules)  ${Math.round(d)} ms  (${lastFindings} findings)`);
  console.log(
    `  the rules add ${(added * 100).toFixed(0)}% to the parse (goal: at most 50%) — ${added <= 0.5 ? 'met' : 'NOT met'}`,
  );
}

main();
