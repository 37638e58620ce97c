// analyzeBatch runs the stages stage-major over many texts (batch mode's cache-friendly order);
// each result must equal analyze() of that text alone, in any batch and in any order.
import { describe, expect, it } from 'vitest';
import { analyze, analyzeBatch } from '../src/analyze/index.js';
import { readSeed, sharedAvailable } from './helpers.js';

const texts = [
  'Talks resume\n\nThe foreign minister said on Tuesday that talks would resume next week. "We are ready," she told reporters.',
  'Le ministre a déclaré mardi que les négociations reprendraient la semaine prochaine, selon un communiqué publié à Paris.',
  '!!! ??? ...',
  'Officials in Kyiv rejected the plan. "No concessions," a spokesman said, according to Reuters.',
];

describe('analyzeBatch', () => {
  it('gives, for every text, exactly what analyze() gives alone', () => {
    const seed = sharedAvailable('seeds') ? readSeed() : null;
    const all = seed ? [...texts, seed] : texts;
    const batch = analyzeBatch(all.map((text) => ({ text })), { published: '2025-11-20' });
    const reversed = analyzeBatch([...all].reverse().map((text) => ({ text, published: '2025-11-20' }))).reverse();
    for (const [i, text] of all.entries()) {
      const alone = JSON.stringify(analyze(text, { published: '2025-11-20' }));
      expect(JSON.stringify(batch[i])).toBe(alone);
      expect(JSON.stringify(reversed[i])).toBe(alone);
    }
  });

  it('lets each item carry its own publication date', () => {
    const [a, b] = analyzeBatch([
      { text: texts[0]!, published: '2025-11-20' },
      { text: texts[0]!, published: '2024-01-10' },
    ]);
    expect(a).not.toBeInstanceOf(Error);
    expect((a as { published?: string }).published).toBe('2025-11-20');
    expect((b as { published?: string }).published).toBe('2024-01-10');
    expect(JSON.stringify(b)).toBe(JSON.stringify(analyze(texts[0]!, { published: '2024-01-10' })));
  });
});
