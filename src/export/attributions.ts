// Attributions (quotes) out: JSON lines, and brat standoff (.ann) in PolNeAR's scheme — Source, Cue
// and Content text-bound annotations joined by an Attribution event — so annotators can correct them.
import type { Analysis, Quote, Span } from '../analyze/types.js';
import { actorIndex, itemDate, localKey, mergeActors, sortItems, type Item } from '../stories/actors-merge.js';

export interface AttributionRow {
  articleId: string;
  url?: string;
  published?: string;
  quoteId: string;
  kind: Quote['kind'];
  speaker: { id: string; name: string; mergedId?: string } | null;
  source: (Span & { text: string }) | null;
  cue: (Span & { text: string }) | null;
  content: Span & { text: string };
  contentParts?: Array<Span & { text: string }>;
  issues?: string[];
  rule: string;
  score?: number;
}

const withText = (text: string, s: Span): Span & { text: string } => ({ start: s.start, end: s.end, text: text.slice(s.start, s.end) });

/** One row per attribution, in publication then text order. */
export function attributionRows(items: Item[]): AttributionRow[] {
  const sorted = sortItems(items);
  const idx = actorIndex(mergeActors(sorted));
  const out: AttributionRow[] = [];
  for (const it of sorted) {
    const a = it.analysis;
    const names = new Map((a.actors ?? []).map((x) => [x.id, x.name]));
    const url = it.article.canonicalUrl ?? it.article.url;
    const pub = itemDate(it);
    for (const q of a.quotes ?? []) {
      const merged = q.speaker ? idx.get(localKey(it.article.id, q.speaker)) : undefined;
      out.push({
        articleId: it.article.id,
        ...(url ? { url } : {}),
        ...(pub ? { published: pub } : {}),
        quoteId: q.id,
        kind: q.kind,
        speaker: q.speaker ? { id: q.speaker, name: names.get(q.speaker) ?? q.speaker, ...(merged ? { mergedId: merged.id } : {}) } : null,
        source: q.source ? withText(a.text, q.source) : null,
        cue: q.cue ? withText(a.text, q.cue) : null,
        content: withText(a.text, q.content),
        ...(q.contentParts?.length ? { contentParts: q.contentParts.map((p) => withText(a.text, p)) } : {}),
        ...(q.issues?.length ? { issues: q.issues } : {}),
        rule: q.rule,
        ...(q.score !== undefined ? { score: q.score } : {}),
      });
    }
  }
  return out;
}

export function attributionsToJsonl(items: Item[]): string {
  return attributionRows(items).map((r) => `${JSON.stringify(r)}\n`).join('');
}

/**
 * brat fragments of a span: brat forbids line breaks inside a fragment, so a span over several
 * lines becomes one fragment per line (whitespace at the fragment edges trimmed).
 */
export function bratFragments(text: string, span: Span): Span[] {
  const out: Span[] = [];
  let start = span.start;
  for (let i = span.start; i <= span.end; i++) {
    if (i === span.end || text[i] === '\n' || text[i] === '\r') {
      let s = start;
      let e = i;
      while (s < e && /\s/.test(text[s]!)) s++;
      while (e > s && /\s/.test(text[e - 1]!)) e--;
      if (e > s) out.push({ start: s, end: e });
      start = i + 1;
    }
  }
  return out;
}

/** The brat standoff (.ann) for one analysis; the .txt is `analysis.text` itself. */
export function toBrat(analysis: Analysis): string {
  const text = analysis.text;
  const names = new Map((analysis.actors ?? []).map((x) => [x.id, x.name]));
  const lines: string[] = [];
  let t = 0;
  let e = 0;
  let note = 0;
  const tb = (type: string, spans: Span[]): string | null => {
    const frags = spans.flatMap((s) => bratFragments(text, s)).sort((a, b) => a.start - b.start);
    if (frags.length === 0) return null;
    const id = `T${++t}`;
    lines.push(`${id}\t${type} ${frags.map((f) => `${f.start} ${f.end}`).join(';')}\t${frags.map((f) => text.slice(f.start, f.end)).join(' ')}`);
    return id;
  };
  for (const q of [...(analysis.quotes ?? [])].sort((a, b) => a.content.start - b.content.start)) {
    const src = q.source ? tb('Source', [q.source]) : null;
    const cue = q.cue ? tb('Cue', [q.cue]) : null;
    const content = tb('Content', [q.content, ...(q.contentParts ?? [])]);
    if (!content) continue;
    // PolNeAR anchors the Attribution event on the cue (on the content when there is no cue).
    const trigger = tb('Attribution', [q.cue ?? q.content]);
    if (!trigger) continue;
    const args = [`Content:${content}`, ...(cue ? [`Cue:${cue}`] : []), ...(src ? [`Source:${src}`] : [])];
    lines.push(`E${++e}\tAttribution:${trigger} ${args.join(' ')}`);
    const speaker = q.speaker ? `speaker=${names.get(q.speaker) ?? q.speaker} (${q.speaker}); ` : '';
    lines.push(`#${++note}\tAnnotatorNotes ${trigger}\t${speaker}kind=${q.kind}; id=${q.id}; rule=${q.rule}`.replace(/[\r\n]+/g, ' '));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export interface BratEntity {
  id: string;
  type: string;
  spans: Span[];
  text: string;
}

export interface BratEvent {
  id: string;
  type: string;
  trigger: string;
  args: Record<string, string>;
}

/** Read brat standoff (T and E lines; others skipped) — used to check exports round-trip. */
export function parseBrat(ann: string): { entities: BratEntity[]; events: BratEvent[] } {
  const entities: BratEntity[] = [];
  const events: BratEvent[] = [];
  for (const line of ann.split('\n')) {
    if (line.startsWith('T')) {
      const [id, mid, text] = line.split('\t');
      const sp = mid!.indexOf(' ');
      const type = mid!.slice(0, sp);
      const spans = mid!
        .slice(sp + 1)
        .split(';')
        .map((p) => p.trim().split(' ').map(Number))
        .map(([start, end]) => ({ start: start!, end: end! }));
      entities.push({ id: id!, type, spans, text: text ?? '' });
    } else if (line.startsWith('E')) {
      const [id, rest] = line.split('\t');
      const [head, ...argv] = rest!.trim().split(/\s+/);
      const [type, trigger] = head!.split(':');
      events.push({ id: id!, type: type!, trigger: trigger!, args: Object.fromEntries(argv.map((a) => a.split(':') as [string, string])) });
    }
  }
  return { entities, events };
}
