// The one document type that flows through every analysis stage. Every span is an offset pair
// into `Analysis.text` (a JavaScript string, end exclusive); nothing downstream recomputes them.

/** A half-open character range `[start, end)` into the analysed text. */
export interface Span {
  start: number;
  end: number;
}

/** Which rule or model produced an extraction, so a user can ask "why is this here?". */
export type Evidence = string;

/** A token from wink-nlp, with its offsets restored (wink itself keeps only preceding spaces). */
export interface Token extends Span {
  /** Universal POS tag from wink-eng-lite-web-model (PROPN, VERB, PUNCT, SPACE…). */
  pos: string;
  /** Lower-cased normal form. */
  norm: string;
  /** Lemma from wink (falls back to norm). */
  lemma: string;
}

export interface Sentence extends Span {
  /** Index of the first token of the sentence in `Doc.tokens`. */
  tokenStart: number;
  /** Index one past the last token. */
  tokenEnd: number;
  /** Index of the paragraph the sentence lies in. */
  paragraph: number;
}

export interface Paragraph extends Span {
  /** Index of the section (see `Structure.sections`), or -1 before the first section heading. */
  section: number;
}

export interface Section {
  /** The heading line. */
  heading: Span;
  /** From the heading's end to the next heading (or the end of the text). */
  body: Span;
}

export interface Structure {
  /** The headline and its alternatives: the short lines before the body. */
  headlines: Span[];
  /** Themed section headings and the body each governs. Headings are not body sentences. */
  sections: Section[];
  /** Body paragraphs (headlines and headings excluded). */
  paragraphs: Paragraph[];
  /** Body sentences (headlines and headings excluded). */
  sentences: Sentence[];
}

export type ActorKind = 'person' | 'organization' | 'country' | 'place' | 'group';

/** How a mention names its actor. */
export type MentionType =
  | 'name' // "Volodymyr Zelenskyy", "Zelenskyy", "Driscoll's" (the span covers the name only)
  | 'title' // "President Trump"'s title-only forms: "the president"
  | 'descriptor' // "the Ukrainian leader", "A Ukrainian diplomat"
  | 'pronoun' // "he", "She", "his"
  | 'demonym' // "Ukrainian", "Russian"
  | 'alias'; // "Kyiv" for Ukraine, "White House" for the United States

export interface Mention extends Span {
  type: MentionType;
  /** The rule or model that found the mention and tied it to its actor. */
  rule: Evidence;
}

export interface Actor {
  /** Stable id: derived from kind and canonical name, so the same input gives the same id. */
  id: string;
  /** Canonical name: the longest full name seen ("Volodymyr Zelenskyy"). */
  name: string;
  kind: ActorKind;
  /** Title or role as written ("President", "Foreign Minister", "press secretary"). */
  title?: string;
  /** ISO 3166-1 alpha-3 of the actor's country, when known. */
  country?: string;
  /** Other spellings seen or known (Zelensky, Zelenskiy). */
  variants?: string[];
  /** Every mention, in text order. */
  mentions: Mention[];
}

export type QuoteKind = 'direct' | 'indirect' | 'mixed';

/** An attribution (PolNeAR's term): a statement or internal state attributed to a source. */
export interface Quote {
  /** Stable id: derived from the content span. */
  id: string;
  kind: QuoteKind;
  /** What is attributed; a direct quote's span may include its quote marks. */
  content: Span;
  /** Additional content pieces when the attributed material is split ("…," he said, "…"). */
  contentParts?: Span[];
  /** The attributing expression: "said", "according to", "warned that". */
  cue: Span | null;
  /** The mention the cue attributes the content to, as written there ("he", "the diplomat"). */
  source: Span | null;
  /** The actor `source` resolves to (an `Actor.id` of this analysis), or null. */
  speaker: string | null;
  /** Rule or model that produced the quote. */
  rule: Evidence;
  /** Confidence in [0, 1] where a model scored it. */
  score?: number;
  /** Issue ids (data/issues/issues.json) the attribution concerns; set by the positions stage. */
  issues?: string[];
}

/** The 16 PLOVER event types. */
export type PloverType =
  | 'AGREE' | 'CONSULT' | 'SUPPORT' | 'CONCEDE' | 'COOPERATE' | 'AID' | 'RETREAT' | 'REQUEST'
  | 'ACCUSE' | 'REJECT' | 'THREATEN' | 'PROTEST' | 'SANCTION' | 'MOBILIZE' | 'COERCE' | 'ASSAULT';

export interface EventRecord {
  id: string;
  type: PloverType;
  mode?: string;
  context: string[];
  /** Actor ids. */
  source: string[];
  target: string[];
  location?: { name: string; country?: string; lat?: number; lon?: number; span?: Span };
  /** ISO date (YYYY-MM-DD) or week/month form, resolved against the publication date. */
  date?: string;
  /** True when the text says it did not happen ("called off", "refused to meet"). */
  negated?: boolean;
  /** "ready to", "will", "must", "may"… when the event is not (yet) a fact. */
  modality?: string;
  /** Issue ids the event concerns. */
  issues?: string[];
  evidence: Span;
  /** The trigger word(s). */
  trigger?: Span;
  rule: Evidence;
}

export type Stance = 'support' | 'oppose' | 'conditional' | 'neutral';

export interface Position {
  /** Actor id. */
  actor: string;
  /** Issue id from the issue taxonomy (data/issues.json). */
  issue: string;
  stance: Stance;
  evidence: Span;
  /** Quote or event id the position was read from. */
  from?: string;
  rule: Evidence;
}

export interface DateMention extends Span {
  /** Resolved date, ISO YYYY-MM-DD (the start of a range for "this week"). */
  value: string;
  /** Granularity of what was said. */
  grain: 'day' | 'week' | 'month' | 'year';
  rule: Evidence;
}

export interface Analysis {
  /** Stable id: a hash of the text. */
  id: string;
  /** The analysed text, unchanged. */
  text: string;
  /** ISO 639-1 code of the detected language ('en' is the only one analysed). */
  language: string;
  /** Publication date used to resolve relative dates (YYYY-MM-DD), when given. */
  published?: string;
  /** The headline and its alternatives as strings (copies of `structure.headlines`). */
  headlines: string[];
  structure: Structure;
  actors: Actor[];
  quotes: Quote[];
  events: EventRecord[];
  positions: Position[];
  dates: DateMention[];
  /** wink-nlp tokens with offsets and POS; present only when asked for (`tokens: true`, `--tokens`). */
  tokens?: Token[];
  /** Non-fatal notes ("no sentences found", "language is not English"). */
  warnings: string[];
}

/** An article as ingested (before analysis). */
export interface Article {
  /** Stable id: a hash of the canonical URL, or of the text when there is no URL. */
  id: string;
  url?: string;
  canonicalUrl?: string;
  title?: string;
  byline?: string;
  /** ISO date-time or date. */
  published?: string;
  outlet?: string;
  language?: string;
  /** Plain text; for analysis the title is put on the first line. */
  text: string;
  /** Where it came from: a file path, a feed URL, a page URL. */
  source?: string;
}
