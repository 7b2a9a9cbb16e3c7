/**
 * One good and one bad fixture per rule (test/fixtures/rules/<rule-id>/{good,bad}.yaml): the bad one
 * triggers the rule, the good one does not. A first line `# target-version: 1.x` sets the target.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ManifestRules } from '../../lib';

const DIR = path.join(__dirname, '..', 'fixtures', 'rules');

function load(rule: string, which: 'good' | 'bad'): { objects: any[]; targetVersion?: string } {
  const text = fs.readFileSync(path.join(DIR, rule, `${which}.yaml`), 'utf8');
  const version = /^# target-version: (\S+)/.exec(text)?.[1];
  return { objects: parseAllDocuments(text).map((d) => d.toJS()), targetVersion: version };
}

const ids = ManifestRules.catalogue().map((r) => r.id);

describe('rule fixtures', () => {
  test('every fixture folder is a rule in the catalogue, and every rule has a folder', () => {
    // GIVEN the fixture folders
    const folders = fs.readdirSync(DIR).sort();
    // THEN they are the catalogue's ids
    expect(folders).toEqual([...ids].sort());
  });

  test.each(ids)('%s: the bad fixture triggers the rule', (rule) => {
    // GIVEN the bad fixture
    const { objects, targetVersion } = load(rule, 'bad');
    // WHEN the rules run
    const findings = ManifestRules.check(objects, { targetVersion }).filter((f) => f.ruleId === rule);
    // THEN the rule reports it, unacknowledged, naming the object
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.acknowledged).toBe(false);
      expect(f.name).not.toBe('');
      expect(f.message).not.toBe('');
    }
  });

  test.each(ids)('%s: the good fixture does not trigger the rule', (rule) => {
    // GIVEN the good fixture
    const { objects, targetVersion } = load(rule, 'good');
    // WHEN the rules run
    const findings = ManifestRules.check(objects, { targetVersion }).filter((f) => f.ruleId === rule);
    // THEN the rule is silent
    expect(findings).toEqual([]);
  });
});
