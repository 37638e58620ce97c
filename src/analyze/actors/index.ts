// Stage: actors — people, organisations, countries, places and groups, each with every mention
// (names, titles, descriptors, demonyms, aliases, pronouns) and the rule that found it.
// Passes: units (tokens + lexicon + name tagger) → scan (noun phrases) → resolve (names, lexicon,
// descriptors) → surname links → pronouns → actors with stable ids.
import type { Doc } from '../segment.js';
import type { Actor, Mention } from '../types.js';
import type { ActorLexicon } from './lexicon.js';
import { nameKey, slug } from './names.js';
import { resolvePronouns } from './pronouns.js';
import { Resolver, type Draft } from './resolve.js';
import { Scanner, trimPossessive, type Rec } from './scan.js';
import { buildUnits, tokenView, type Unit } from './units.js';
import { discoverStates } from './states.js';

export type { ActorLexicon } from './lexicon.js';

/** Positions as sentence × POS_SCALE + token (sentences are far shorter than this). */
const POS_SCALE = 1e5;

function isCapital(s: string): boolean {
  const c = s.charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  return c > 127 && /^\p{Lu}/u.test(s);
}

/** Mark the positions each record covers. */
function claim(claimed: number[][], r: Rec): void {
  for (let k = r.a; k < r.b; k++) claimed[r.unit]![k] = 1;
}

/** Names met again without a title or tag ("Zelenskyy" in a headline, a name the tagger missed). */
function surnameLinks(units: Unit[], res: Resolver, claimed: number[][]): Rec[] {
  const bySurname = new Map<string, number[]>();
  res.drafts.forEach((d, i) => {
    if (d.kind === 'person' && !d.unnamed && d.surnameKey) (bySurname.get(d.surnameKey) ?? bySurname.set(d.surnameKey, []).get(d.surnameKey)!).push(i);
  });
  const out: Rec[] = [];
  if (!bySurname.size) return out;
  // Namesakes' mentions by position, built on first need (the sweep adds none before its own position).
  const namesakes = new Map<string, Array<{ pos: number; i: number }>>();
  units.forEach((u, ui) => {
    for (let k = 0; k < u.text.length; k++) {
      // Capitalised words all have their facts (units.ts), which keep the name key once made.
      const f = u.facts[k];
      if (claimed[ui]![k] || !f || !isCapital(u.text[k]!)) continue;
      let a = k;
      let b = k + 1;
      let hits = bySurname.get(f.key ??= nameKey(u.text[k]!));
      // "Donald Trump" again: given name then surname.
      if (!hits && k + 1 < u.text.length && !claimed[ui]![k + 1]) {
        const h2 = bySurname.get(nameKey(u.text[k + 1]!))?.filter((i) => res.drafts[i]!.givenKey === nameKey(u.text[k]!));
        if (h2?.length) { hits = h2; b = k + 2; }
      }
      if (!hits) continue;
      const r: Rec = { unit: ui, a, b, np: a, type: 'name', rule: 'surname-link', what: 'name', text: u.text.slice(a, b).join(' ') };
      trimPossessive(u, r);
      // The nearest earlier mention's person among namesakes, else the first.
      let pick = hits[0]!;
      if (hits.length > 1) {
        const key = hits.join(',');
        let list = namesakes.get(key);
        if (!list) {
          list = hits.flatMap((i) => res.drafts[i]!.recs.map((x) => ({ pos: x.unit * POS_SCALE + x.a, i }))).sort((x, y) => x.pos - y.pos);
          namesakes.set(key, list);
        }
        const pos = ui * POS_SCALE + a;
        let lo = 0, hi = list.length;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid]!.pos < pos) lo = mid + 1; else hi = mid; }
        if (lo > 0) pick = list[lo - 1]!.i;
      }
      res.attach(r, pick);
      claim(claimed, r);
      out.push(r);
      k = b - 1;
    }
  });
  return out;
}

/** The stable id of an actor: kind and canonical name (country code for countries). */
function baseId(d: Draft): string {
  if (d.kind === 'country' && d.country) return `country:${d.country}`;
  return `${d.kind}:${slug(d.name)}`;
}

/** One scanner per lexicon: its lookup sets are built once. */
const scanners = new WeakMap<ActorLexicon, Scanner>();

export function findActors(doc: Doc, lex: ActorLexicon): Actor[] {
  const view = tokenView(doc, lex);
  const units = buildUnits(doc, lex, discoverStates(doc, lex, view), view);
  let scanner = scanners.get(lex);
  if (!scanner) scanners.set(lex, (scanner = new Scanner(lex)));
  const recs = units.flatMap((u, ui) => scanner.scan(u, ui));
  for (const r of recs) if (r.what === 'name' || r.what === 'ner-org' || r.what === 'ner-geo') trimPossessive(units[r.unit]!, r);
  // Plain arrays: a typed array per sentence costs more to make than it saves.
  const claimed = units.map((u) => new Array<number>(u.text.length).fill(0));
  for (const r of recs) claim(claimed, r);
  const res = new Resolver(lex, units);
  res.people(recs);
  res.reclaimNames(recs);
  res.lexical(recs.filter((r) => r.actor === undefined));
  res.mergeShortOrgs();
  const linked = surnameLinks(units, res, claimed);
  res.admins();
  res.descriptors(recs);
  res.orgDescriptors(recs);
  const all = [...recs, ...linked].filter((r) => r.actor !== undefined);
  for (const r of resolvePronouns(units, all, res.drafts, claimed, lex)) res.drafts[r.actor!]!.recs.push(r);

  // Built field by field: object spread is several times slower here, and there are ~100 per article.
  const mention = (r: Rec): Mention => {
    const u = units[r.unit]!;
    return { start: doc.tokens[u.idx[r.a]!]!.start, end: doc.tokens[u.idx[r.b - 1]!]!.end - (r.cut ?? 0), type: r.type, rule: r.rule };
  };
  const built: Actor[] = [];
  const used = new Set<string>();
  const counters = new Map<string, number>();
  const withMentions = res.drafts
    .map((d) => ({ d, mentions: d.recs.map(mention).sort((x, y) => x.start - y.start) }))
    .filter((x) => x.mentions.length > 0)
    .sort((x, y) => x.mentions[0]!.start - y.mentions[0]!.start);
  for (const { d, mentions } of withMentions) {
    const base = baseId(d);
    let id = base;
    for (let n = (counters.get(base) ?? 1) + 1; used.has(id); n++) { id = `${base}-${n}`; counters.set(base, n); }
    used.add(id);
    const variants = [...d.variants].filter((v) => v !== d.name).sort();
    built.push({
      id,
      name: d.name,
      kind: d.kind,
      ...(d.title ? { title: d.title } : {}),
      ...(d.country ? { country: d.country } : {}),
      ...(variants.length ? { variants } : {}),
      mentions,
    });
  }
  return built;
}
