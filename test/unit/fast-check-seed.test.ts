// test/fixtures/fast-check-seed.ts: FC_SEED fixes every property's seed, and a failure names the
// seed and path that replay it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('property test seeds', () => {
  it('uses FC_SEED when it is set, a random seed otherwise', () => {
    const raw = process.env.FC_SEED?.trim();
    expect(fc.readConfigureGlobal().seed).toBe(raw ? Number(raw) | 0 : undefined);
  });

  it('names the seed and path of a failure, and that seed and path replay it', () => {
    const property = fc.property(fc.integer(), (n) => n < 1000);
    const first = fc.check(property);
    expect(first.failed).toBe(true);
    const report = fc.defaultReportMessage(first) ?? '';
    expect(report).toContain(`seed: ${first.seed}`);
    expect(report).toContain(`path: "${first.counterexamplePath}"`);
    const replay = fc.check(property, { seed: first.seed, path: first.counterexamplePath!, endOnFailure: true });
    expect(replay.counterexample).toEqual(first.counterexample);
  });
});
