#!/usr/bin/env node
/**
 * Checks what `npm run package` generated: the npm tarball and the Python, Java, Go and .NET sources, each
 * for this package's version and each holding every type of the jsii assembly. Exits 1 and lists what is
 * missing otherwise.
 *
 * Usage: node scripts/check-targets.js [outdir]   (default: package.json jsii.outdir)
 */
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const outdir = path.resolve(root, process.argv[2] || pkg.jsii.outdir);
const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf8'));
const version = pkg.version;
const types = Object.values(assembly.types || {});
const typeNames = types.map((t) => t.name);
const problems = [];

function read(file) {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

function filesUnder(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(suffix));
}

function expectFile(target, file, mustContain) {
  const text = read(file);
  if (text === undefined) {
    problems.push(`${target}: ${path.relative(root, file)} is missing`);
  } else if (mustContain !== undefined && !text.includes(mustContain)) {
    problems.push(`${target}: ${path.relative(root, file)} does not contain ${JSON.stringify(mustContain)}`);
  }
}

function expectTypes(target, present) {
  const missing = types.filter((t) => !present(t.name, t.fqn)).map((t) => t.name);
  if (missing.length > 0) {
    problems.push(`${target}: no code for ${missing.length} of ${typeNames.length} types: ${missing.join(', ')}`);
  }
}

// JavaScript: the npm tarball.
expectFile('js', path.join(outdir, 'js', `${pkg.name}@${version}.jsii.tgz`));

// Python: setup.py for this version, every type registered under its jsii name in the module.
const py = pkg.jsii.targets.python;
expectFile('python', path.join(outdir, 'python', 'setup.py'), `"version": "${version}"`);
const pyInit = read(path.join(outdir, 'python', 'src', py.module, '__init__.py')) || '';
if (pyInit === '') problems.push(`python: src/${py.module}/__init__.py is missing`);
else expectTypes('python', (_name, fqn) => pyInit.includes(`jsii_type="${fqn}"`));

// Java: pom.xml for this version, one source file per type in the package's folder.
const javaDir = path.join(outdir, 'java', 'src', 'main', 'java', ...pkg.jsii.targets.java.package.split('.'));
expectFile('java', path.join(outdir, 'java', 'pom.xml'), `<version>${version}</version>`);
const javaFiles = new Set(filesUnder(javaDir, '.java').map((f) => path.basename(f, '.java')));
expectTypes('java', (name) => javaFiles.has(name));

// Go: the module folder with this version, one file per type.
const goRoot = path.join(outdir, 'go');
const goDirs = fs.existsSync(goRoot)
  ? fs.readdirSync(goRoot).filter((d) => fs.existsSync(path.join(goRoot, d, 'go.mod')))
  : [];
if (goDirs.length !== 1) {
  problems.push(
    `go: expected one module folder with a go.mod under ${path.relative(root, goRoot)}, found ${goDirs.length}`,
  );
} else {
  expectFile('go', path.join(goRoot, goDirs[0], 'version'), version);
  const goFiles = new Set(fs.readdirSync(path.join(goRoot, goDirs[0])).map((f) => path.basename(f, '.go')));
  expectTypes('go', (name) => goFiles.has(name));
}

// .NET: the project for this version, one source file per type.
const dotnet = pkg.jsii.targets.dotnet;
const dotnetDir = path.join(outdir, 'dotnet', dotnet.packageId);
expectFile('dotnet', path.join(dotnetDir, `${dotnet.packageId}.csproj`), `<PackageVersion>${version}</PackageVersion>`);
const csFiles = new Set(filesUnder(dotnetDir, '.cs').map((f) => path.basename(f, '.cs')));
expectTypes('dotnet', (name) => csFiles.has(name));

if (problems.length > 0) {
  console.error(`npm run package: ${problems.length} problem(s) in ${path.relative(root, outdir) || '.'}:`);
  for (const p of problems) console.error(`  - ${p}`);
  console.error('Fix the jsii targets in package.json, or re-run `npm run package` after `npm run build`.');
  process.exit(1);
}
console.log(
  `${pkg.name}@${version}: js, python, java, go and dotnet generated in ${path.relative(root, outdir)}, ${typeNames.length} types each`,
);
