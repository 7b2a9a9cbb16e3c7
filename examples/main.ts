/**
 * Synthesizes every example app: each folder under examples/ with a `chart.ts` that exports
 * `build(app: App): Chart`. Run with `npx cdk8s synth` (see cdk8s.yaml); output goes to dist/manifests.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';

/** Adds every example chart to `app`, in folder order. */
export function buildAll(app: App): Chart[] {
  return fs
    .readdirSync(__dirname, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(__dirname, d.name, 'chart.ts')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(__dirname, name, 'chart'));
      return mod.build(app) as Chart;
    });
}

if (require.main === module) {
  const app = new App();
  buildAll(app);
  app.synth();
}
