// Issue taxonomy of negotiations and stance cues (data/issues/issues.json), compiled to regexes.
// User-extensible: a JSON file of the same shape named by PARLEY_ISSUES is merged over the shipped one.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { PloverType, Stance } from '../types.js';

/** Environment variable naming an optional user issue file merged over data/issues/issues.json. */
export const USER_ISSUES_ENV = 'PARLEY_ISSUES';

const STANCES = ['support', 'oppose', 'conditional', 'neutral'] as const;

const IssueFileSchema = z.object({
  version: z.number().optional(),
  issues: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'issue id must be lower-case letters, digits and hyphens'),
        label: z.string().optional(),
        generic: z.boolean().optional(),
        patterns: z.array(z.string()).default([]),
        context: z.array(z.string()).optional(),
        source: z.string().optional(),
      }),
    )
    .default([]),
  stanceCues: z
    .array(
      z.object({
        stance: z.enum(STANCES),
        issues: z.array(z.string()).optional(),
        speakerOnly: z.boolean().optional(),
        patterns: z.array(z.string()),
        note: z.string().optional(),
      }),
    )
    .default([]),
  eventStance: z.record(z.string(), z.enum(STANCES)).default({}),
  genericQualifiers: z.array(z.string()).default([]),
  officialRoles: z.array(z.string()).default([]),
});
export type IssueFile = z.infer<typeof IssueFileSchema>;

export interface IssueDef {
  id: string;
  label: string;
  /** A catch-all issue (the plan, a deal): yields to a specific issue named in the same clause. */
  generic: boolean;
  /** Source patterns as written in the data file. */
  patterns: string[];
  /** One compiled, case-insensitive, whole-word regex per pattern (global). */
  regexes: RegExp[];
  /**
   * When set, the issue is only read in texts where one of these words occurs anywhere (a deal is a
   * settlement in war reporting, not in a sports page).
   */
  context: RegExp | null;
}

export interface StanceCue {
  stance: Stance;
  /** When set, the cue only decides the stance on these issues (and wins over general cues there). */
  issues?: string[];
  /** The stance is the speaker's even when another actor is the cue's grammatical subject ("…the moment X drops its demand for Y"). */
  speakerOnly?: boolean;
  pattern: string;
  regex: RegExp;
}

export interface IssueLexicon {
  issues: IssueDef[];
  stanceCues: StanceCue[];
  /** PLOVER event type → the stance its source takes on the issues the event concerns. */
  eventStance: Partial<Record<PloverType, Stance>>;
  /**
   * Matches right after a generic issue mention whose terms are qualified ("an agreement largely
   * favoring X", "a deal that requires Y"): a stance there is on the terms, not on a deal as such.
   */
  genericQualifier: RegExp | null;
  /**
   * Titles or names of those who speak for their country ("President", "foreign minister",
   * "officials"); null = everyone with a country does.
   */
  officialRole: RegExp | null;
}

/** Whole-word, case-insensitive, global regex from a data pattern; a bad pattern names its file. */
function compile(pattern: string, where: string): RegExp {
  try {
    return new RegExp(`(?<![\\p{L}\\p{N}-])(?:${pattern})(?![\\p{L}\\p{N}])`, 'giu');
  } catch (e) {
    throw new Error(`${where}: bad pattern ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
}

function compileQualifier(patterns: string[], where: string): RegExp {
  try {
    return new RegExp(`^[\\s,]*(?:${patterns.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
  } catch (e) {
    throw new Error(`${where}: bad genericQualifiers pattern: ${(e as Error).message}`);
  }
}

function readIssueFile(file: string): IssueFile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read issue file ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = IssueFileSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`issue file ${file}: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'}`);
  }
  return parsed.data;
}

/** Merge `extra` over `base`: same issue id → patterns appended (label/generic replaced when given); new ids appended. */
export function mergeIssueFiles(base: IssueFile, extra: IssueFile): IssueFile {
  const issues = base.issues.map((i) => ({ ...i, patterns: [...i.patterns] }));
  for (const e of extra.issues) {
    const cur = issues.find((i) => i.id === e.id);
    if (cur) {
      cur.patterns.push(...e.patterns.filter((p) => !cur.patterns.includes(p)));
      if (e.label) cur.label = e.label;
      if (e.generic !== undefined) cur.generic = e.generic;
      if (e.context) cur.context = [...(cur.context ?? []), ...e.context];
    } else issues.push({ ...e, patterns: [...e.patterns] });
  }
  return {
    version: base.version,
    issues,
    // User cues go first: among equally near cues the earlier one wins, so a user can override.
    stanceCues: [...extra.stanceCues, ...base.stanceCues],
    eventStance: { ...base.eventStance, ...extra.eventStance },
    genericQualifiers: [...base.genericQualifiers, ...extra.genericQualifiers],
    officialRoles: [...base.officialRoles, ...extra.officialRoles],
  };
}

/** Compile an issue file (already merged) into the lexicon the positions stage reads. */
export function compileIssueLexicon(f: IssueFile, where = 'issues'): IssueLexicon {
  return {
    issues: f.issues.map((i) => ({
      id: i.id,
      label: i.label ?? i.id,
      generic: i.generic ?? false,
      patterns: i.patterns,
      regexes: i.patterns.map((p) => compile(p, `${where} ${i.id}`)),
      context: i.context?.length ? compile(i.context.join('|'), `${where} ${i.id} context`) : null,
    })),
    stanceCues: f.stanceCues.flatMap((c) =>
      c.patterns.map((p) => ({
        stance: c.stance,
        ...(c.issues ? { issues: c.issues } : {}),
        ...(c.speakerOnly ? { speakerOnly: true } : {}),
        pattern: p,
        regex: compile(p, `${where} stance cue`),
      })),
    ),
    eventStance: f.eventStance as Partial<Record<PloverType, Stance>>,
    genericQualifier: f.genericQualifiers.length ? compileQualifier(f.genericQualifiers, where) : null,
    officialRole: f.officialRoles.length ? compile(f.officialRoles.join('|'), `${where} officialRoles`) : null,
  };
}

/**
 * Load `<dir>/issues/issues.json`, merged with the user file named by `userFile` (default: the
 * PARLEY_ISSUES environment variable) when there is one.
 */
export function loadIssueLexicon(dir: string, userFile: string | undefined = process.env[USER_ISSUES_ENV]): IssueLexicon {
  const file = path.join(dir, 'issues', 'issues.json');
  let f: IssueFile = fs.existsSync(file) ? readIssueFile(file) : { issues: [], stanceCues: [], eventStance: {}, genericQualifiers: [], officialRoles: [] };
  if (userFile) f = mergeIssueFiles(f, readIssueFile(userFile));
  return compileIssueLexicon(f, file);
}
