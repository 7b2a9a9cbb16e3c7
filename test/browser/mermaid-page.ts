/**
 * Renders Mermaid diagrams in Debian's headless Chromium with the installed `mermaid` bundle inlined into the
 * page: no network, no downloaded browser.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Browser, chromium, Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MERMAID = path.join(__dirname, '..', '..', 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');

/** The outcome of one render. */
export interface Rendered {
  /** The parse or render error, if any. */
  readonly error?: string;
  /** The SVG text, when it rendered. */
  readonly svg?: string;
}

/** A page that renders diagrams. */
export class MermaidPage {
  public static async open(): Promise<MermaidPage> {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`npm run test:browser needs Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    }
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1800, height: 1000 }, deviceScaleFactor: 2 });
    // Nothing leaves the machine: the page is built from a string and every request is refused.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(
      '<!doctype html><html><head><meta charset="utf-8"></head>' +
        '<body style="margin:0;background:#ffffff"><div id="diagram" style="display:inline-block;padding:16px"></div>' +
        `<script>${fs.readFileSync(MERMAID, 'utf8')}</script></body></html>`,
    );
    await page.evaluate(() =>
      (globalThis as any).mermaid.initialize({
        startOnLoad: false,
        securityLevel: 'strict',
        theme: 'default',
        flowchart: { useMaxWidth: false },
      }),
    );
    return new MermaidPage(browser, page);
  }

  private count = 0;

  private constructor(
    private readonly browser: Browser,
    private readonly page: Page,
  ) {}

  /** Parses and renders a diagram into the page. */
  public async render(source: string): Promise<Rendered> {
    this.count += 1;
    return this.page.evaluate(
      async ({ source: text, id }) => {
        const mermaid = (globalThis as any).mermaid;
        const target = (globalThis as any).document.getElementById('diagram');
        target.innerHTML = '';
        try {
          await mermaid.parse(text);
          const { svg } = await mermaid.render(id, text);
          target.innerHTML = svg;
          return { svg };
        } catch (e) {
          return { error: String((e as Error)?.message ?? e) };
        }
      },
      { source, id: `diagram${this.count}` },
    );
  }

  /** Writes the last rendered diagram as a PNG. */
  public async screenshot(file: string): Promise<void> {
    const element = await this.page.$('#diagram');
    if (!element) throw new Error('no diagram rendered');
    await element.screenshot({ path: file });
  }

  public async close(): Promise<void> {
    await this.browser.close();
  }
}
