/**
 * Synth benchmark on equal terms: N workloads of one shape (see shape.ts) generated three ways into
 * byte-identical manifests, checked equal before and during timing:
 *
 *   (a) ours         this library's patterns (ours.ts)
 *   (b) handWritten  the same pods written by hand with cdk8s-plus-28 (hand-written.ts)
 *   (c) floor        the same plain objects serialized with cdk8s's YAML writer (floor.ts)
 *
 * Runs are interleaved (a, b, c, a, b, c, ...) with a full GC before each; figures are medians. Peak RSS of
 * each generator comes from a process of its own; import time from fresh processes. Writes a JSON result
 * to BENCH_OUT and prints a table.
 *
 *   npm run bench                                   # N = 100, 1000, 5000; 9 rounds
 *   BENCH_SIZES=200,1000 BENCH_ROUNDS=3 npm run bench
 *   BENCH_OUT=/tmp/results.json npm run bench
 *
 * Also: BENCH_IMPORT_REPEATS (default 25), BENCH_RSS_REPEATS (default 1).
 */
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { cpus, loadavg } from 'os';
import { dirname, join, resolve } from 'path';
import { firstDifference } from './compare';
import { generator, GeneratorInputs, GeneratorName, GENERATORS, RunTiming } from './generators';
import { importTimes } from './import-time';
import { readReference } from './reference';
import { doctorMs, findManifestRules, rulesMs } from './rules';
import { fullGc, median, round } from './stats';

const ROOT = resolve(__dirname, '..');
const BUILD = join(ROOT, 'dist', 'bench');

function numbers(name: string, fallback: string): number[] {
  const raw = process.env[name] ?? fallback;
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new Error(`bench: ${name} must be positive whole numbers separated by commas, got ${JSON.stringify(raw)}`);
  }
  return values;
}

const SIZES = numbers('BENCH_SIZES', '100,1000,5000');
const ROUNDS = numbers('BENCH_ROUNDS', '9')[0];
const IMPORT_REPEATS = numbers('BENCH_IMPORT_REPEATS', '25')[0];
const RSS_REPEATS = numbers('BENCH_RSS_REPEATS', '1')[0];
const OUT = resolve(process.env.BENCH_OUT ?? join(ROOT, 'bench', 'results.json'));

const LABEL: { [name in GeneratorName]: string } = {
  ours: '(a) ours',
  handWritten: '(b) hand-written cdk8s-plus-28',
  floor: '(c) floor: plain objects + cdk8s YAML',
};

const log = (line = '') => process.stdout.write(`${line}\n`);
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return {
    cpu: model.trim(),
    nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg().map((l) => round(l, 2)),
  };
}

/** Compiles the library and the benchmark to plain JavaScript, for the child processes. */
function compile(): void {
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'bench', 'tsconfig.json')], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`bench: compiling failed:\n${result.stdout}${result.stderr}`);
}

/** Fails the run, showing where two generators' outputs first differ. */
function failOnDifference(n: number, name: GeneratorName, expected: string, actual: string): void {
  const difference = firstDifference(expected, actual);
  if (difference === undefined) return;
  process.stderr.write(
    `bench: the outputs differ at N = ${n}: ${LABEL[name]} does not write what (a) ours writes; ` +
      `update bench/hand-written.ts or bench/floor.ts to the library's output\n${difference}\n`,
  );
  process.exit(1);
}

type Runner = (n: number) => RunTiming;

/** Checks that the three generators write byte-identical YAML for `n` workloads. */
function checkIdentical(runners: { [name in GeneratorName]: Runner }, n: number): void {
  const expected = runners.ours(n).yaml;
  for (const name of GENERATORS) failOnDifference(n, name, expected, runners[name](n).yaml);
}

interface Phases {
  ms: number;
  cpuMs: number;
  buildMs: number;
  synthMs: number;
  yamlMs: number;
}

/** Interleaved timed rounds at one size; every run's output is checked against (a)'s. */
function timeSize(runners: { [name in GeneratorName]: Runner }, n: number, gc: () => void) {
  const runs: { [name in GeneratorName]: Phases[] } = { ours: [], handWritten: [], floor: [] };
  let bytes = 0;
  for (let r = 0; r < ROUNDS; r++) {
    let expected = '';
    for (const name of GENERATORS) {
      gc();
      const { yaml, ...phases } = runners[name](n);
      runs[name].push(phases);
      const digest = sha(yaml);
      if (name === 'ours') {
        expected = digest;
        bytes = yaml.length;
      } else if (digest !== expected) {
        failOnDifference(n, name, runners.ours(n).yaml, runners[name](n).yaml);
      }
    }
  }
  const medians = (name: GeneratorName): Phases => ({
    ms: median(runs[name].map((p) => p.ms)),
    cpuMs: median(runs[name].map((p) => p.cpuMs)),
    buildMs: median(runs[name].map((p) => p.buildMs)),
    synthMs: median(runs[name].map((p) => p.synthMs)),
    yamlMs: median(runs[name].map((p) => p.yamlMs)),
  });
  const ratios = (other: GeneratorName) => runs.ours.map((p, r) => p.ms / runs[other][r].ms);
  return {
    ours: medians('ours'),
    handWritten: medians('handWritten'),
    floor: medians('floor'),
    roundRatiosVsHandWritten: ratios('handWritten'),
    roundRatiosVsFloor: ratios('floor'),
    bytes,
  };
}

/** Peak RSS of each generator at `n`, each in a fresh process (median of RSS_REPEATS). */
function peakRss(inputsPath: string, n: number) {
  const child = join(BUILD, 'bench', 'child.js');
  const out: { [name in GeneratorName]?: { peakRssMiB: number; baseRssMiB: number; ms: number } } = {};
  const samples: { [name in GeneratorName]: any[] } = { ours: [], handWritten: [], floor: [] };
  for (let r = 0; r < RSS_REPEATS; r++) {
    for (const name of GENERATORS) {
      const result = spawnSync(process.execPath, [child, inputsPath, name, String(n)], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (result.status !== 0) throw new Error(`bench: the ${name} child at N = ${n} failed:\n${result.stderr}`);
      samples[name].push(JSON.parse(result.stdout));
    }
  }
  for (const name of GENERATORS) {
    out[name] = {
      peakRssMiB: round(median(samples[name].map((s) => s.peakRssMiB))),
      baseRssMiB: round(median(samples[name].map((s) => s.baseRssMiB))),
      ms: round(median(samples[name].map((s) => s.ms))),
    };
  }
  return out as { [name in GeneratorName]: { peakRssMiB: number; baseRssMiB: number; ms: number } };
}

function main(): void {
  const started = performance.now();
  const host = machine();
  log(
    `synth benchmark: N = ${SIZES.join(', ')}; ${ROUNDS} rounds; ${host.nproc} cores (${host.cpu}); Node ${host.node}`,
  );

  compile();
  const reference = readReference();
  const inputs: GeneratorInputs = { pasted: reference.pasted, objects: reference.objects };
  const inputsPath = join(BUILD, 'inputs.json');
  writeFileSync(inputsPath, JSON.stringify(inputs));
  const runners = {
    ours: generator('ours', inputs),
    handWritten: generator('handWritten', inputs),
    floor: generator('floor', inputs),
  };

  // Equal output before anything is timed; the warm-up rounds also let the JIT settle.
  checkIdentical(runners, 3);
  const gc = fullGc();
  for (let w = 0; w < 2; w++) for (const name of GENERATORS) runners[name](Math.min(200, Math.max(...SIZES)));
  log('outputs identical: (a), (b) and (c) write the same YAML, byte for byte (checked again on every timed run)');

  const runs: any[] = [];
  for (const n of SIZES) {
    const t = timeSize(runners, n, gc);
    const rss = peakRss(inputsPath, n);
    const run = {
      n,
      oursMs: round(t.ours.ms),
      handWrittenMs: round(t.handWritten.ms),
      floorMs: round(t.floor.ms),
      ratioVsHandWritten: round(t.ours.ms / t.handWritten.ms, 3),
      ratioVsFloor: round(t.ours.ms / t.floor.ms, 3),
      msPerWorkload: round(t.ours.ms / n, 4),
      handWrittenMsPerWorkload: round(t.handWritten.ms / n, 4),
      floorMsPerWorkload: round(t.floor.ms / n, 4),
      peakRssMiB: { ours: rss.ours.peakRssMiB, handWritten: rss.handWritten.peakRssMiB, floor: rss.floor.peakRssMiB },
      cpuMs: { ours: round(t.ours.cpuMs), handWritten: round(t.handWritten.cpuMs), floor: round(t.floor.cpuMs) },
      cpuRatioVsHandWritten: round(t.ours.cpuMs / t.handWritten.cpuMs, 3),
      cpuRatioVsFloor: round(t.ours.cpuMs / t.floor.cpuMs, 3),
      rssRatioVsHandWritten: round(rss.ours.peakRssMiB / rss.handWritten.peakRssMiB, 3),
      baseRssMiB: { ours: rss.ours.baseRssMiB, handWritten: rss.handWritten.baseRssMiB, floor: rss.floor.baseRssMiB },
      phasesMs: {
        ours: roundPhases(t.ours),
        handWritten: roundPhases(t.handWritten),
        floor: roundPhases(t.floor),
      },
      pairedRatioVsHandWritten: round(median(t.roundRatiosVsHandWritten), 3),
      pairedRatioVsFloor: round(median(t.roundRatiosVsFloor), 3),
      roundRatiosVsHandWritten: t.roundRatiosVsHandWritten.map((r) => round(r, 3)),
      roundRatiosVsFloor: t.roundRatiosVsFloor.map((r) => round(r, 3)),
      kibPerWorkload: round(t.bytes / n / 1024, 2),
      outputMiB: round(t.bytes / 1024 / 1024, 1),
    };
    runs.push(run);
    log(
      `N = ${n}: ours ${run.oursMs} ms, hand-written ${run.handWrittenMs} ms, floor ${run.floorMs} ms; ` +
        `a/b ${run.ratioVsHandWritten} (CPU ${run.cpuRatioVsHandWritten}), a/c ${run.ratioVsFloor}; peak RSS ${rss.ours.peakRssMiB} / ` +
        `${rss.handWritten.peakRssMiB} / ${rss.floor.peakRssMiB} MiB`,
    );
  }

  // Import time: the compiled library (as published) against cdk8s-plus-28 alone, in fresh processes.
  const imports = importTimes(
    { cdk8sPlus: require.resolve('cdk8s-plus-28'), library: join(BUILD, 'lib', 'index.js') },
    IMPORT_REPEATS,
  );
  const importOverheadMs = round(imports.medians.library - imports.medians.cdk8sPlus);
  log(
    `import: cdk8s-plus-28 ${round(imports.medians.cdk8sPlus)} ms, the library (with cdk8s-plus-28) ` +
      `${round(imports.medians.library)} ms: +${importOverheadMs} ms (medians of ${IMPORT_REPEATS} fresh processes)`,
  );

  // The rules and the doctor, when the library has them.
  const found = findManifestRules();
  let rules: any = null;
  let doctor: any = null;
  let rulesNote: string | undefined;
  if (found.rules) {
    const rulesN = SIZES.includes(1000) ? 1000 : Math.max(...SIZES);
    const objects = synthOurs(rulesN);
    const ms = rulesMs(found.rules, objects, ROUNDS, gc);
    const ours = runs.find((r) => r.n === rulesN).oursMs;
    rules = { n: rulesN, ms: round(ms), shareOfOurs: round(ms / ours, 3) };
    log(`rules: ManifestRules.check over the ${objects.length} objects of N = ${rulesN}: ${rules.ms} ms`);
    const doctorN = SIZES.includes(5000) ? 5000 : Math.max(...SIZES);
    const d = doctorMs(found.rules, runners.ours(doctorN).yaml, Math.max(3, Math.min(ROUNDS, 5)), gc);
    doctor = { n: doctorN, ms: round(d.ms), parseMs: round(d.parseMs), ratio: round(d.ms / d.parseMs, 3) };
    log(`doctor: N = ${doctorN}: parse + rules ${doctor.ms} ms, parse alone ${doctor.parseMs} ms: ${doctor.ratio}x`);
  } else {
    rulesNote = found.missing;
    log(`rules and doctor: not measured: ${rulesNote}`);
  }

  const durationSeconds = round((performance.now() - started) / 1000, 0);
  const result = {
    identicalOutput: true,
    importOverheadMs,
    runs,
    rulesMs: rules ? rules.ms : null,
    doctor,
    rules,
    ...(rulesNote ? { rulesNote } : {}),
    import: {
      repeats: IMPORT_REPEATS,
      cdk8sPlusMs: round(imports.medians.cdk8sPlus),
      libraryMs: round(imports.medians.library),
    },
    settings: { sizes: SIZES, rounds: ROUNDS, rssRepeats: RSS_REPEATS },
    machine: { ...host, loadAverageAtEnd: loadavg().map((l) => round(l, 2)) },
    durationSeconds,
    date: new Date().toISOString().slice(0, 10),
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);

  log();
  for (const line of table(result)) log(line);
  log();
  log(`wrote ${OUT} (${durationSeconds} s in all)`);
}

function roundPhases(p: Phases) {
  return { build: round(p.buildMs), synth: round(p.synthMs), yaml: round(p.yamlMs) };
}

/** Generator (a)'s synthesized objects for n workloads (for the rules). */
function synthOurs(n: number): any[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { App, Chart } = require('cdk8s') as typeof import('cdk8s');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildOurs } = require('./ours') as typeof import('./ours');
  const app = new App({ outdir: 'dist/bench-unused' });
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < n; i++) buildOurs(chart, i);
  app.synthYaml();
  return chart.toJson();
}

/** The README table (markdown). */
export function table(result: any): string[] {
  const lines = [
    '| N | (a) ours ms | (b) hand-written ms | (c) floor ms | a/b | a/c | ms per workload (a / b / c) | peak RSS MiB (a / b / c) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of result.runs) {
    lines.push(
      `| ${r.n} | ${r.oursMs.toFixed(0)} | ${r.handWrittenMs.toFixed(0)} | ${r.floorMs.toFixed(0)} | ` +
        `${r.ratioVsHandWritten.toFixed(2)} | ${r.ratioVsFloor.toFixed(2)} | ` +
        `${r.msPerWorkload.toFixed(2)} / ${r.handWrittenMsPerWorkload.toFixed(2)} / ${r.floorMsPerWorkload.toFixed(2)} | ` +
        `${r.peakRssMiB.ours.toFixed(0)} / ${r.peakRssMiB.handWritten.toFixed(0)} / ${r.peakRssMiB.floor.toFixed(0)} |`,
    );
  }
  return lines;
}

if (require.main === module) main();
