/**
 * Every example's start-up diagram parses and renders with Mermaid in headless Chromium; the diagram of the
 * example with a native sidecar is drawn to a PNG: to docs/images (the README's picture) with
 * UPDATE_DOCS_IMAGES=1, else to a temporary folder, so that a test run leaves the tree as it was.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { PodPlan } from '../../lib';
import { MermaidPage } from './mermaid-page';

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');
const PNG = process.env.UPDATE_DOCS_IMAGES
  ? path.join(ROOT, 'docs', 'images', 'start-up-plan.png')
  : path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plan-png-')), 'start-up-plan.png');

const examples = fs
  .readdirSync(EXAMPLES)
  .filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'chart.ts')))
  .sort();

function planOf(example: string): PodPlan {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { build } = require(path.join(EXAMPLES, example, 'chart'));
  return PodPlan.fromManifests(build(Testing.app()).toJson())[0];
}

let page: MermaidPage;
beforeAll(async () => {
  page = await MermaidPage.open();
});
afterAll(async () => {
  await page?.close();
});

describe('start-up diagrams in a browser', () => {
  test('a diagram with a syntax error is reported (the check can fail)', async () => {
    const rendered = await page.render('flowchart LR\n  a -->|unclosed b');
    expect(rendered.error).toBeDefined();
  });

  test.each(examples)('%s renders without a parse or render error', async (example) => {
    // GIVEN
    const plan = planOf(example);
    // WHEN
    const rendered = await page.render(plan.toMermaid());
    // THEN
    expect(rendered.error).toBeUndefined();
    expect(rendered.svg).toContain('<svg');
    for (const name of plan.startupOrder) expect(rendered.svg).toContain(name);
    for (const gate of plan.phases.slice(0, -1).map((p) => p.gate)) expect(rendered.svg).toContain(gate);
  });

  test('the README picture: example 08, a wait step, a native sidecar spanning the app, the shutdown', async () => {
    const rendered = await page.render(planOf('08-app-with-native-sidecar').toMermaid());
    expect(rendered.error).toBeUndefined();
    expect(rendered.svg).toContain('keeps running');
    fs.mkdirSync(path.dirname(PNG), { recursive: true });
    await page.screenshot(PNG);
    expect(fs.statSync(PNG).size).toBeGreaterThan(10000);
  });
});
