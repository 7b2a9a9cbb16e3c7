/**
 * The code samples in README.md and docs/*.md are compiled (type-checked) and run, so they cannot rot.
 * Each ```ts block is a complete program; 'cdk8s-pod-patterns' is mapped to this checkout's lib/.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const SNIPPETS = path.join(ROOT, 'test', '.snippets');

interface Sample {
  readonly id: string;
  readonly source: string;
}

function samplesOf(file: string): Sample[] {
  const text = fs.readFileSync(file, 'utf8');
  const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  const base = path.relative(ROOT, file).replace(/[^a-zA-Z0-9]+/g, '-');
  return blocks.map((source, i) => ({ id: `${base}-${i + 1}`, source }));
}

const files = [
  path.join(ROOT, 'README.md'),
  ...(fs.existsSync(path.join(ROOT, 'docs'))
    ? fs
        .readdirSync(path.join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => path.join(ROOT, 'docs', f))
    : []),
];
const samples = files.filter((f) => fs.existsSync(f)).flatMap(samplesOf);

function writeSamples(): string[] {
  fs.rmSync(SNIPPETS, { recursive: true, force: true });
  fs.mkdirSync(SNIPPETS, { recursive: true });
  return samples.map((s) => {
    const file = path.join(SNIPPETS, `${s.id}.ts`);
    fs.writeFileSync(file, s.source.replace(/from 'cdk8s-pod-patterns'/g, "from '../../lib'"));
    return file;
  });
}

test('README.md has code samples', () => {
  expect(samples.filter((s) => s.id.startsWith('README')).length).toBeGreaterThanOrEqual(3);
});

test('every code sample type-checks', () => {
  const fileNames = writeSamples();
  const program = ts.createProgram(fileNames, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    types: ['node'],
  });
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || d.file.fileName.includes('.snippets'))
    .map((d) => {
      const where = d.file
        ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  expect(diagnostics).toEqual([]);
}, 60000);

describe('every code sample runs and synthesizes', () => {
  test.each(samples.map((s) => [s.id, s] as const))('%s', (_id, sample) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-'));
    const js = ts.transpileModule(
      sample.source.replace(/from 'cdk8s-pod-patterns'/g, `from '${path.join(ROOT, 'lib')}'`),
      {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      },
    ).outputText;
    const file = path.join(SNIPPETS, `${sample.id}.run.js`);
    fs.mkdirSync(SNIPPETS, { recursive: true });
    fs.writeFileSync(file, js);
    const previous = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = out;
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(file);
      });
    } finally {
      if (previous === undefined) delete process.env.CDK8S_OUTDIR;
      else process.env.CDK8S_OUTDIR = previous;
    }
  });
});
