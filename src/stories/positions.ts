// The position matrix across articles: parties × issues, the latest stance with its evidence, and
// every change with its date and source article. Pure over `{article, analysis}` items.
import type { ActorKind, Span, Stance } from '../analyze/types.js';
import { actorIndex, itemDate, localKey, mergeActors, sortItems, type Item, type MergedActor } from './actors-merge.js';

/** Evidence excerpts are cut to this many characters (the offsets still give the whole span). */
export const MAX_EXCERPT_CHARS = 300;

export interface IssueLabel {
  id: string;
  label: string;
}

export interface PositionMatrixOptions {
  /**
   * An issue id or a word of an issue label → only that issue's column; any other word → only
   * articles whose title or text contain it (case-insensitive, whole word).
   */
  topic?: string;
  /** Only these articles (a story's articles, say). */
  articleIds?: string[];
  /** Only rows of these actor kinds (e.g. ['country','group','organization'] for parties). */
  kinds?: ActorKind[];
  /** Issue labels for the columns (default: the issue ids). */
  issues?: IssueLabel[];
}

/** Where a stance was read: enough to go back to the article and the offsets. */
export interface StanceEvidence {
  stance: Stance;
  date?: string;
  articleId: string;
  url?: string;
  evidence: Span;
  excerpt: string;
  rule: string;
  /** Quote or event id in that article's analysis. */
  from?: string;
}

export interface StanceChange extends StanceEvidence {
  /** The stance before this article (null for the first one seen). */
  previous: Stance | null;
}

export interface PositionCell {
  party: string;
  issue: string;
  /** The stance in the latest article that reports one. */
  latest: StanceEvidence;
  /** The first stance and every change after it, in date order. */
  changes: StanceChange[];
  /** How many positions (over all articles) the cell is built from. */
  observations: number;
}

export interface PositionMatrix {
  parties: Array<Pick<MergedActor, 'id' | 'name' | 'kind' | 'country'>>;
  issues: IssueLabel[];
  cells: PositionCell[];
}

export function excerpt(text: string, span: Span): string {
  const s = text.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
  return s.length > MAX_EXCERPT_CHARS ? `${s.slice(0, MAX_EXCERPT_CHARS - 1)}…` : s;
}

function wordIn(text: string, word: string): boolean {
  const esc = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${esc}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

/** Resolve a topic to issue ids it names (by id, or a word of a label), if any. */
export function topicIssues(topic: string, issues: IssueLabel[]): string[] {
  const t = topic.trim().toLowerCase();
  return issues.filter((i) => i.id === t || wordIn(i.label, t) || wordIn(i.id.replace(/-/g, ' '), t)).map((i) => i.id);
}

/** The stance an article takes: its most frequent one for the cell, ties to the first in text. */
function articleStance(obs: StanceEvidence[]): StanceEvidence {
  const count = new Map<Stance, number>();
  for (const o of obs) count.set(o.stance, (count.get(o.stance) ?? 0) + 1);
  let best = obs[0]!;
  for (const o of obs) if (count.get(o.stance)! > count.get(best.stance)!) best = o;
  return best;
}

export function positionMatrix(items: Item[], opts: PositionMatrixOptions = {}): PositionMatrix {
  const allIssues = opts.issues ?? [];
  let onlyIssues: Set<string> | null = null;
  let chosen = sortItems(items);
  if (opts.articleIds) {
    const ids = new Set(opts.articleIds);
    chosen = chosen.filter((it) => ids.has(it.article.id));
  }
  if (opts.topic) {
    const named = topicIssues(opts.topic, allIssues.length ? allIssues : issueIdsOf(chosen).map((id) => ({ id, label: id })));
    if (named.length > 0) onlyIssues = new Set(named);
    else chosen = chosen.filter((it) => wordIn(`${it.article.title ?? ''}\n${it.analysis.text}`, opts.topic!));
  }
  const merged = mergeActors(chosen);
  const idx = actorIndex(merged);
  const kinds = opts.kinds ? new Set(opts.kinds) : null;

  // party → issue → article id → observations (articles already in date order).
  const cells = new Map<string, Map<string, Map<string, StanceEvidence[]>>>();
  for (const it of chosen) {
    const date = itemDate(it);
    for (const p of it.analysis.positions ?? []) {
      if (onlyIssues && !onlyIssues.has(p.issue)) continue;
      const party = idx.get(localKey(it.article.id, p.actor));
      if (!party || (kinds && !kinds.has(party.kind))) continue;
      const byIssue = cells.get(party.id) ?? new Map<string, Map<string, StanceEvidence[]>>();
      cells.set(party.id, byIssue);
      const byArticle = byIssue.get(p.issue) ?? new Map<string, StanceEvidence[]>();
      byIssue.set(p.issue, byArticle);
      const list = byArticle.get(it.article.id) ?? [];
      byArticle.set(it.article.id, list);
      const url = it.article.canonicalUrl ?? it.article.url;
      list.push({
        stance: p.stance,
        ...(date ? { date } : {}),
        articleId: it.article.id,
        ...(url ? { url } : {}),
        evidence: p.evidence,
        excerpt: excerpt(it.analysis.text, p.evidence),
        rule: p.rule,
        ...(p.from ? { from: p.from } : {}),
      });
    }
  }

  const out: PositionCell[] = [];
  for (const [party, byIssue] of cells) {
    for (const [issue, byArticle] of byIssue) {
      const changes: StanceChange[] = [];
      let latest: StanceEvidence | null = null;
      let observations = 0;
      for (const obs of byArticle.values()) {
        observations += obs.length;
        obs.sort((a, b) => a.evidence.start - b.evidence.start);
        const s = articleStance(obs);
        const previous = latest?.stance ?? null;
        if (previous !== s.stance) changes.push({ ...s, previous });
        latest = s;
      }
      out.push({ party, issue, latest: latest!, changes, observations });
    }
  }
  const partyIds = new Set(out.map((c) => c.party));
  const parties = merged
    .filter((m) => partyIds.has(m.id))
    .map((m) => ({ id: m.id, name: m.name, kind: m.kind, ...(m.country ? { country: m.country } : {}) }));
  const order = new Map(parties.map((p, i) => [p.id, i]));
  const issueIds = [...new Set(out.map((c) => c.issue))];
  const issues = [
    ...allIssues.filter((i) => issueIds.includes(i.id)),
    ...issueIds.filter((id) => !allIssues.some((i) => i.id === id)).sort().map((id) => ({ id, label: id })),
  ];
  const issueOrder = new Map(issues.map((i, k) => [i.id, k]));
  out.sort((a, b) => order.get(a.party)! - order.get(b.party)! || issueOrder.get(a.issue)! - issueOrder.get(b.issue)!);
  return { parties, issues, cells: out };
}

function issueIdsOf(items: Item[]): string[] {
  return [...new Set(items.flatMap((it) => (it.analysis.positions ?? []).map((p) => p.issue)))].sort();
}
