/**
 * One generator in a process of its own, for its peak memory: `node child.js <inputs.json> <generator> <n>`
 * runs the generator once over n workloads and prints `{ ms, bytes, baseRssMiB, peakRssMiB }` as JSON.
 * Only the chosen generator's modules are loaded (generator (a) alone loads this library).
 */
import { readFileSync } from 'fs';
import { generator, GENERATORS, GeneratorInputs, GeneratorName } from './generators';

function main(): void {
  const [inputsPath, name, size] = process.argv.slice(2);
  if (!GENERATORS.includes(name as GeneratorName) || !(Number(size) > 0)) {
    throw new Error(
      `usage: child.js <inputs.json> <${GENERATORS.join('|')}> <n>, got ${process.argv.slice(2).join(' ')}`,
    );
  }
  const inputs: GeneratorInputs = JSON.parse(readFileSync(inputsPath, 'utf8'));
  const run = generator(name as GeneratorName, inputs);
  const baseRssMiB = process.resourceUsage().maxRSS / 1024;
  const result = run(Number(size));
  // maxRSS is in KiB: the process's peak resident set, including what the run allocated and freed
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms: result.ms, bytes: result.yaml.length, baseRssMiB, peakRssMiB }));
}

main();
