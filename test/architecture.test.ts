/**
 * The import graph of lib/ against DESIGN.md: no cycle; core never imports a pattern; a pattern imports no
 * other pattern; rules/ and plan/ read plain manifests and import no construct library.
 */
import * as fs from 'fs';
import * as path from 'path';

const LIB = path.join(__dirname, '..', 'lib');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every file of lib/ (relative, without extension) with what it imports. */
function importGraph(): Map<string, { relative: string[]; packages: string[] }> {
  const graph = new Map<string, { relative: string[]; packages: string[] }>();
  for (const file of sources(LIB)) {
    const text = fs.readFileSync(file, 'utf8');
    // `import type` leaves nothing at run time, so it makes no cycle
    const specs = [...text.matchAll(/^(?:import|export)\s(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
    const from = path.relative(LIB, file).replace(/\.ts$/, '');
    const relative = specs
      .filter((s) => s.startsWith('.'))
      .map((s) => {
        const target = path.normalize(path.join(path.dirname(from), s));
        return fs.existsSync(path.join(LIB, `${target}.ts`)) ? target : path.join(target, 'index');
      });
    graph.set(from, { relative, packages: specs.filter((s) => !s.startsWith('.')) });
  }
  return graph;
}

const graph = importGraph();
const room = (file: string) => file.split(path.sep)[0];
/** Files of one pattern share their first word: fluent-bit-config and fluent-bit-sidecar, envoy-health-check. */
const family = (file: string) => path.basename(file).split('-')[0];
/** A pattern: a construct built on PodPattern (helpers such as the log shippers' shared pieces are not). */
const isPattern = (file: string) => /extends PodPattern\b/.test(fs.readFileSync(path.join(LIB, `${file}.ts`), 'utf8'));

test('the import graph of lib/ has no cycle', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 'open');
    for (const next of graph.get(file)?.relative ?? []) visit(next, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  expect(cycles).toEqual([]);
});

test('core imports no pattern, and a pattern imports only core and its own files', () => {
  const problems: string[] = [];
  for (const [file, { relative }] of graph) {
    for (const target of relative) {
      const [a, b] = [room(file), room(target)];
      if (a === 'core' && (b === 'init' || b === 'sidecars')) problems.push(`${file} -> ${target}`);
      const patterns = (r: string) => r === 'init' || r === 'sidecars';
      const foreign = family(file) !== family(target) && isPattern(target);
      if (patterns(a) && patterns(b) && !file.endsWith('index') && foreign) {
        problems.push(`${file} -> ${target}`);
      }
      if ((a === 'rules' || a === 'plan') && (patterns(b) || b === 'cli')) problems.push(`${file} -> ${target}`);
    }
  }
  expect(problems).toEqual([]);
});

test('rules/ and plan/ read plain manifests: they import no construct library', () => {
  const problems: string[] = [];
  for (const [file, { packages }] of graph) {
    if (room(file) !== 'rules' && room(file) !== 'plan') continue;
    for (const pkg of packages) {
      if (pkg === 'cdk8s-plus-28') problems.push(`${file} imports ${pkg}`);
    }
  }
  expect(problems).toEqual([]);
});

test('index files only re-export', () => {
  const problems = sources(LIB)
    .filter((f) => path.basename(f) === 'index.ts')
    .filter((f) =>
      fs
        .readFileSync(f, 'utf8')
        .split('\n')
        .some(
          (l) =>
            !['', 'export {};'].includes(l.trim()) &&
            !/^export (\* from |\{[^}]*\} from )/.test(l) &&
            !l.startsWith('//'),
        ),
    )
    .map((f) => path.relative(LIB, f));
  expect(problems).toEqual([]);
});
