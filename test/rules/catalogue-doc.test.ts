import * as fs from 'fs';
import * as path from 'path';
import { ManifestRules } from '../../lib';
import { catalogueMarkdown } from '../../lib/rules/catalogue-markdown';

const PAGE = path.join(__dirname, '..', '..', 'docs', 'rules.md');

describe('docs/rules.md', () => {
  test('is the catalogue rendered: every rule with its id, severity, what, why and fix', () => {
    // GIVEN the catalogue in code
    const expected = catalogueMarkdown(ManifestRules.catalogue());
    if (process.env.UPDATE_RULES_DOC) fs.writeFileSync(PAGE, expected);
    // THEN the page says the same
    expect(fs.readFileSync(PAGE, 'utf8')).toBe(expected);
  });

  test('every rule has an id, a severity, a summary, a reason and a fix', () => {
    const rules = ManifestRules.catalogue();
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of rules) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(['error', 'warning', 'info']).toContain(r.severity);
      for (const text of [r.summary, r.why, r.fix]) expect(text.length).toBeGreaterThan(10);
    }
  });
});
