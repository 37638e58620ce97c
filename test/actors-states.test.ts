// Actors: states the lexicons do not know — found from the text's own cues (states.ts) or declared
// in a user actor file (PARLEY_ACTORS). The names here are invented for these tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { segment } from '../src/analyze/segment.js';
import { findActors } from '../src/analyze/actors/index.js';
import { loadActorLexicon, type ActorLexicon } from '../src/analyze/actors/lexicon.js';
import { discoveredCode } from '../src/analyze/actors/states.js';
import { dataDir } from '../src/analyze/lexicons.js';
import type { Actor } from '../src/analyze/types.js';

const lex: ActorLexicon = loadActorLexicon(dataDir(), { userFile: undefined });
const run = (text: string, l: ActorLexicon = lex): Actor[] => findActors(segment(text), l);
const forms = (text: string, a: Actor | undefined): string[] => (a ? a.mentions.map((m) => text.slice(m.start, m.end)) : []);

describe('states found from the text', () => {
  const text =
    'Morvath and Ostara opened talks in Vellin on Monday.\n\n' +
    "Morvath's foreign minister said the talks would be long. Morvathi Foreign Minister Lena Dask said a ceasefire was possible.\n\n" +
    'A Morvathi official said Ostara had moved artillery. Ostara sent its envoy to Kellin, the Ostaran capital, on Tuesday.';
  const actors = run(text);
  const morvath = actors.find((a) => a.name === 'Morvath');
  const ostara = actors.find((a) => a.name === 'Ostara');

  it('a name with a state office ("X\'s foreign minister") is a country with a user-range code', () => {
    expect(morvath?.kind).toBe('country');
    expect(morvath?.country).toBe(discoveredCode('Morvath'));
    expect(morvath?.country).toBe('X-MORVATH');
    expect(morvath?.mentions.some((m) => m.rule.startsWith('state-cue:'))).toBe(true);
  });

  it('its demonym ("Morvathi") is a mention of it, and gives the officials it qualifies their country', () => {
    expect(forms(text, morvath)).toContain('Morvathi');
    const dask = actors.find((a) => a.name === 'Lena Dask');
    expect(dask?.kind).toBe('person');
    expect(dask?.country).toBe('X-MORVATH');
  });

  it('a demonym used as an adjective ("the Ostaran capital") makes its base name a country, and the capital an alias', () => {
    expect(ostara?.kind).toBe('country');
    expect(ostara?.country).toBe('X-OSTARA');
    expect(forms(text, ostara)).toContain('Kellin');
    expect(actors.find((a) => a.name === 'Ostara' && a.kind === 'person')).toBeUndefined();
  });

  it('the same text gives the same codes and ids', () => {
    expect(run(text)).toEqual(actors);
  });

  it('a person named with a title, or a known person, is never a state', () => {
    const t = 'President Garrow spoke on Monday. Garrow\'s government fell. The Trump government was mocked by critics.';
    const a = run(t);
    expect(a.filter((x) => x.kind === 'country' && x.country?.startsWith('X-'))).toEqual([]);
  });

  it('an unknown name without state cues stays what it was', () => {
    const a = run('Talks opened in Vellin on Monday. Vellin was quiet.');
    expect(a.filter((x) => x.country?.startsWith('X-'))).toEqual([]);
  });

  it('"the X Federation" names the state when nothing shorter is used', () => {
    const t = 'The Drennic Federation said it would send observers. Observers from the Drennic Federation arrived.';
    const a = run(t).filter((x) => x.kind === 'country');
    expect(a.map((x) => x.name)).toContain('Drennic Federation');
  });
});

describe('user actor file (PARLEY_ACTORS)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-actors-'));
  const file = path.join(dir, 'states.json');
  fs.writeFileSync(file, JSON.stringify({ states: [{ name: 'Morvath', code: 'MRV', demonyms: ['Morvathi'], capital: 'Kellin', aliases: ['Republic of Morvath'] }], people: [{ name: 'Lena Dask', variants: [], country: 'MRV', title: 'Foreign Minister' }] }));
  const user = loadActorLexicon(dataDir(), { userFile: file });

  it('declared states are countries with the user code, by name, demonym, alias and capital, with no cue needed', () => {
    const t = 'Morvath said on Monday it would attend. The Republic of Morvath sent a Morvathi envoy to talks, and Kellin welcomed the move.';
    const all = run(t, user);
    const m = all.find((a) => a.kind === 'country' && a.country === 'MRV');
    expect(m?.name).toBe('Morvath');
    expect(forms(t, m)).toEqual(expect.arrayContaining(['Morvath', 'Republic of Morvath', 'Kellin']));
    // The demonym qualifies the envoy, as "a Ukrainian envoy" does.
    expect(all.find((a) => a.kind === 'person' && /envoy/.test(a.name))?.country).toBe('MRV');
    expect(m?.mentions.find((x) => x.rule === 'lexicon:user:state')).toBeDefined();
  });

  it('declared people get their country', () => {
    const p = run('Lena Dask said the talks were useful.', user).find((a) => a.name === 'Lena Dask');
    expect(p?.country).toBe('MRV');
  });

  it('the environment variable names the file', () => {
    const before = process.env.PARLEY_ACTORS;
    process.env.PARLEY_ACTORS = file;
    try {
      const viaEnv = loadActorLexicon(dataDir());
      expect(run('Morvath said it would attend.', viaEnv).find((a) => a.country === 'MRV')?.kind).toBe('country');
    } finally {
      if (before === undefined) delete process.env.PARLEY_ACTORS;
      else process.env.PARLEY_ACTORS = before;
    }
  });

  it('a bad file is a one-line error naming it', () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ states: [{ name: 'Morvath' }] }));
    expect(() => loadActorLexicon(dataDir(), { userFile: bad })).toThrow(/PARLEY_ACTORS file .*bad\.json: every state needs a "name" and a "code"/);
    fs.writeFileSync(bad, '{not json');
    expect(() => loadActorLexicon(dataDir(), { userFile: bad })).toThrow(/PARLEY_ACTORS file .*bad\.json/);
  });
});
