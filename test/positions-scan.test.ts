// Positions: the fast issue scan (lookbehind checked by hand, patterns skipped when their literal
// opening is absent) must find exactly what running each lexicon regex over the text finds.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findIssueMentions, literalPrefix, requiredLiterals, tailsOf, type IssueMention } from '../src/analyze/positions/index.js';
import { loadIssueLexicon, type IssueLexicon } from '../src/analyze/positions/lexicon.js';
import { dataDir } from '../src/analyze/lexicons.js';
import { SHARED, sharedAvailable } from './helpers.js';

const lex: IssueLexicon = loadIssueLexicon(dataDir(), undefined);

/** The plain reference: every regex run over the text, context gates tested, overlaps resolved as the stage does. */
function reference(text: string): IssueMention[] {
  const hits: IssueMention[] = [];
  for (const def of lex.issues) {
    if (def.context) {
      def.context.lastIndex = 0;
      if (!def.context.test(text)) continue;
    }
    def.regexes.forEach((re, k) => {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        if (m[0].length === 0) { re.lastIndex++; continue; }
        hits.push({ issue: def.id, pattern: def.patterns[k]!, start: m.index, end: m.index + m[0].length });
      }
    });
  }
  hits.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || (a.issue < b.issue ? -1 : 1));
  const kept: IssueMention[] = [];
  for (const h of hits) {
    if (kept.some((k) => k.start <= h.start && k.end >= h.end && (k.issue !== h.issue || k.end - k.start > h.end - h.start))) continue;
    if (kept.some((k) => k.issue === h.issue && k.start < h.end && h.start < k.end)) continue;
    kept.push(h);
  }
  return kept;
}

const whole = (t: string): IssueMention[] => findIssueMentions(t, { start: 0, end: t.length }, lex);

describe('fast issue scan', () => {
  it('literal openings: plain runs, groups (optional ones both ways), lookarounds, optional tails', () => {
    expect(literalPrefix('annex(?:ed|ation)')).toEqual(['annexed', 'annexation']);
    expect(literalPrefix('cease-?fires?')).toEqual(['cease']);
    expect(literalPrefix('front ?line')).toEqual(['front']);
    expect(literalPrefix('(?:cede|ceding|give up) land')).toEqual(['cede land', 'ceding land', 'give up land']);
    expect(literalPrefix('(?:a |the )?agreement')).toEqual(['a agreement', 'the agreement', 'agreement']);
    expect(literalPrefix('(?:nato|eu) bid')).toEqual(['nato bid', 'eu bid']); // "eu" alone is too short, "eu bid" is not
    expect(literalPrefix('(?:nato|eu)s? bid')).toBeNull(); // "eu" ends at the optional "s"
    expect(literalPrefix('truce|armistice')).toEqual(['truce', 'armistice']);
    expect(literalPrefix('\\d+-point plan')).toBeNull();
    expect(literalPrefix('(?<!after )elections?')).toEqual(['election']); // a lookbehind consumes nothing
    expect(literalPrefix('x(?:ab|cd)+y')).toEqual(['xab', 'xcd']); // a repeated group: one of its alternatives, then unknown
    expect(literalPrefix('(?:a |the )?[a-z]+ dam')).toBeNull(); // without the group, a class opens it
  });

  it('literal openings are true openings: every match starts with one', () => {
    const cases: Array<[string, string[]]> = [
      ['(?:is|are) (?:a |the )?(?:major |main )?(?:obstacle|red line)', ['is a main obstacle', 'are red line', 'is the obstacle']],
      ['(?:(?:will|would|to|we|i) back)', ['we back', 'i back', 'would back']],
      ['(?:a |the )?(?:good|sound) basis', ['a good basis', 'sound basis', 'the sound basis']],
    ];
    for (const [source, texts] of cases) {
      const open = literalPrefix(source)!;
      expect(open).not.toBeNull();
      for (const t of texts) {
        const m = new RegExp(source, 'iu').exec(t);
        expect(m, `${source} on ${t}`).not.toBeNull();
        expect(open.some((o) => t.toLowerCase().slice(m!.index).startsWith(o)), `${source} on ${t}`).toBe(true);
      }
    }
  });

  it('required inner literals: groups and runs that cannot be skipped', () => {
    expect(requiredLiterals('(?:the )?[a-z]+ (?:dam|reservoir)')).toEqual(['dam', 'reservoir']);
    expect(requiredLiterals('(?:a |the )?agreement')).toEqual(['agreement']);
    expect(requiredLiterals('de-?escalation')).toEqual(['escalation']);
    expect(requiredLiterals('(?:nato|eu) bids?')).toEqual([' bid']);
    expect(requiredLiterals('[a-z]+ (?:plan)?')).toBeNull(); // the only literal is optional
    expect(requiredLiterals('[a-z]{0,30} x')).toBeNull(); // too short to filter
    expect(requiredLiterals('(?:foo|[a-z]+ bar)')).toEqual(['foo', ' bar']);
  });

  it('literal endings: reach back to a space (or span the whole match), optional atoms both ways', () => {
    const ends = (pattern: string): string[] | null => {
      const t = tailsOf(`(?:${pattern})(?![\\p{L}\\p{N}])`);
      return t && [...t.values()].flat().map((x) => x.lit).sort();
    };
    expect(ends('(?:the )?[a-z]+ (?:dam|reservoir)')).toEqual([' dam', ' reservoir']);
    expect(ends('[a-z]+-(?:backed|brokered) (?:plan|deal)s?')).toEqual(['backed deal', 'backed deals', 'backed plan', 'backed plans', 'brokered deal', 'brokered deals', 'brokered plan', 'brokered plans'].map((x) => '-' + x));
    expect(ends('(?:is|was) a non-starter')).toEqual(['is a non-starter', 'was a non-starter']);
    expect(ends('truce|armistice')).toEqual(['armistice', 'truce']); // whole matches: they start a word
    expect(ends('[a-z]+ing')).toBeNull(); // "ing" need not start a word
    expect(ends('[a-z]+ (?:is|as)')).toBeNull(); // too short a last word
    expect(ends('[a-z]+ \\d+')).toBeNull();
    expect(tailsOf('(?:[a-z]+ dam)')).toBeNull(); // no right guard: the ending need not end a word
  });

  it('literal endings are true endings: every match ends with one, at the end of a word', () => {
    const cases: Array<[string, string[]]> = [
      ['(?:the )?[a-z]+ (?:dam|reservoir)', ['the Kakhovka Dam.', 'a big reservoir']],
      ['(?:(?:[a-z]+-(?:backed|brokered) )?(?:framework|plan)s? (?:for|to) (?:ending|end|peace))', ['US-backed plans to end', 'a framework for peace', 'PLAN TO END']],
    ];
    for (const [pattern, texts] of cases) {
      const tails = [...tailsOf(`(?:${pattern})(?![\\p{L}\\p{N}])`)!.values()].flat();
      for (const t of texts) {
        const m = new RegExp(`(?:${pattern})(?![\\p{L}\\p{N}])`, 'iu').exec(t);
        expect(m, `${pattern} on ${t}`).not.toBeNull();
        const end = m!.index + m![0].length;
        expect(tails.some((x) => t.toLowerCase().slice(0, end).endsWith(x.lit)), `${pattern} on ${t}`).toBe(true);
      }
    }
  });

  it('finds what the plain regexes find, at word edges, hyphens and odd characters', () => {
    const texts = [
      'A ceasefire and a cease-fire; pre-ceasefire talks; ceasefires. Sanctions, the sanction-regime.',
      'Security guarantees, a truce and prisoner exchanges were discussed. ſanctions and Kelvin Ksanctions.',
      'The Donbas and Crimea; annexation; re-annexation; «annexed» — 😀annexed territory, électoral reform.',
      'No issue words here at all.',
      'The Kakhovka Dam and the reservoir; a US-brokered framework for ending the war; we will back it.',
      'DAM RESERVOIR; an Agreement; de-escalation and deescalation; ſeat at the table.',
      'the big damage; a dam-building; the Dam2 and the dam\u00e9; US-backed plans to endorse; a US-backed plan to end it; a non-starters list; is a non-starter.',
      'Ukraine is a good basis, the sound basis; a basis; the reasonable basis2; not a non-starter—it remains the main obstacle',
    ];
    for (const t of texts) expect(whole(t)).toEqual(reference(t));
  });

  it('finds what the plain regexes find over real articles', () => {
    if (!sharedAvailable('data/polnear')) return;
    const dir = path.join(SHARED, 'data/polnear/dev/text');
    const files = fs.readdirSync(dir).sort().slice(0, 60);
    let found = 0;
    for (const f of files) {
      const t = fs.readFileSync(path.join(dir, f), 'utf8');
      const r = reference(t);
      found += r.length;
      expect(whole(t)).toEqual(r);
    }
    expect(found).toBeGreaterThan(0);
  });
});
