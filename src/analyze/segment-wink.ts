// Two of wink-nlp's structures over typed arrays, for segment()'s reader: the lexeme table's
// form → id lookup (FormIndex) and the pattern automaton (compileMachine / recognize).
//
// wink's pattern automaton (wink-nlp/src/automaton.js, `recognize`) keeps its transitions in
// objects keyed by token number (sparse keys such as 1080005: dictionary lookups) and calls the
// model's token transformer at every step, again on each token it revisits after a failed partial
// match. Here the transitions are one Int32Array indexed by state and column, the tokens are turned
// into columns once per text by the caller (transformer applied once per token), and the scan is
// wink's, step for step. test/segment-wink.test.ts holds both against wink's own.

/** wink's end-of-sequence token and its "otherwise" key (automaton.js, with a cache). */
const EOS_TOKEN = 2070000;
const OTHERWISE = 2070003;
/** The column of tokens no transition names (its cells are all 0: the root). */
export const NO_COLUMN = 0;
/** The column of tokens the automaton skips (wink's token2Ignore: a line feed, say). */
export const SKIP_COLUMN = -1;

/**
 * A pattern found: [first token, last token, name], as wink's recognize() reports it. The name is
 * undefined when wink ends a pattern at a non-terminal "otherwise" state (it reports
 * terminalStates[state], undefined there).
 */
export type Match = [number, number, string | undefined];

/** Tokens below this (and as far above the hint base) have their column in a dense table. */
const DENSE = 256;

export interface Machine {
  /** Token number → column (1…); tokens not here take NO_COLUMN. */
  columns: Map<number, number>;
  /** Columns of tokens 0…DENSE-1, and of tokens hintBase…hintBase+DENSE-1 (POS tags and hints, most of what the automata read). */
  low: Int32Array;
  hinted: Int32Array;
  hintBase: number;
  width: number;
  /** Next state, at state * width + column (0: the root). */
  next: Int32Array;
  /** Per state: the state its "otherwise" transition leads to (0: none). */
  otherwise: Int32Array;
  /** Per state: is it terminal (wink: terminalStates[state] is truthy)? */
  terminal: Uint8Array;
  /** Per state: wink's terminalStates[state] (a pattern's name; '0' names patterns wink drops). */
  names: Array<string | undefined>;
  /** Per state: wink's mark [start shift, end shift], or undefined. */
  marks: Array<[number, number] | undefined>;
  eosColumn: number;
}

/**
 * An automaton from wink's exported JSON ([version, lastUsedState, fsm, terminalStates,
 * markedStates, customPropertyAtStates]). `hintBase` is where the model's transformers put their
 * hint tokens (hint + base): their columns get a dense table.
 */
export function compileMachine(json: string, hintBase: number): Machine {
  const model = JSON.parse(json) as [number, number, Record<string, Record<string, number>>, Record<string, string>, Record<string, [number, number]>, unknown];
  const fsm = model[2];
  const terminals = model[3];
  const marked = model[4];
  let states = model[1] + 1;
  const columns = new Map<number, number>();
  for (const s in fsm) {
    states = Math.max(states, Number(s) + 1);
    for (const t in fsm[s]) {
      states = Math.max(states, fsm[s]![t]! + 1);
      const tok = Number(t);
      // wink looks tokens (numbers) up as keys: a key that is no number's string never matches.
      if (String(tok) === t && tok !== OTHERWISE && !columns.has(tok)) columns.set(tok, columns.size + 1);
    }
  }
  for (const s in terminals) states = Math.max(states, Number(s) + 1);
  const width = columns.size + 1;
  const next = new Int32Array(states * width);
  const otherwise = new Int32Array(states);
  for (const s in fsm) {
    const row = fsm[s]!;
    for (const t in row) {
      const tok = Number(t);
      // wink: `fsm[state][t] || root`, and a truthy fsm[state][otherwise].
      if (tok === OTHERWISE) otherwise[Number(s)] = row[t] || 0;
      else if (columns.has(tok) && String(tok) === t) next[Number(s) * width + columns.get(tok)!] = row[t] || 0;
    }
  }
  const terminal = new Uint8Array(states);
  const names = new Array<string | undefined>(states).fill(undefined);
  const marks = new Array<[number, number] | undefined>(states).fill(undefined);
  for (const s in terminals) {
    if (terminals[s]) terminal[Number(s)] = 1;
    names[Number(s)] = terminals[s]!;
  }
  for (const s in marked) marks[Number(s)] = marked[s];
  const low = new Int32Array(DENSE);
  const hinted = new Int32Array(DENSE);
  for (const [tok, col] of columns) {
    if (tok >= 0 && tok < DENSE) low[tok] = col;
    else if (tok >= hintBase && tok < hintBase + DENSE) hinted[tok - hintBase] = col;
  }
  return { columns, low, hinted, hintBase, width, next, otherwise, terminal, names, marks, eosColumn: columns.get(EOS_TOKEN) ?? NO_COLUMN };
}

/**
 * The column of a (transformed) token. wink looks a token up as a key of the state's object, so a
 * string token matches as its number when it is that number's string: the pos updater writes the
 * pattern names it applies (such as "16") into the POS tags the next automaton reads.
 */
export function columnOf(m: Machine, token: number | string): number {
  if (typeof token === 'number') {
    // Tokens are integers; NO_COLUMN (0) in a dense table is "no transition" as in the map.
    if (token >= 0 && token < DENSE) return m.low[token]!;
    const h = token - m.hintBase;
    if (h >= 0 && h < DENSE) return m.hinted[h]!;
    return m.columns.get(token) ?? NO_COLUMN;
  }
  const n = Number(token);
  return String(n) === token ? (m.columns.get(n) ?? NO_COLUMN) : NO_COLUMN;
}

/** wink's pushMatch2Patterns (no pattern-detection callback is ever set on these automata). */
function push(m: Machine, patterns: Match[], first: number, last: number, state: number): void {
  const name = m.names[state];
  if (name === '0') return;
  const mark = m.marks[state];
  if (mark) {
    first += mark[0];
    last -= mark[1];
  }
  patterns.push([first, last, name]);
}

/**
 * wink's recognize() over the first `length` columns of `cols` (one per token, from columnOf() of
 * the transformed token, or SKIP_COLUMN), without pattern swaps (segment()'s automata never set
 * any). The loop is wink's, with its greedy scan and roll back, kept line for line.
 */
export function recognize(m: Machine, cols: Int32Array, length: number): Match[] {
  const patterns: Match[] = [];
  const next = m.next;
  const width = m.width;
  const otherwise = m.otherwise;
  const terminal = m.terminal;
  let first = 0;
  let state = 0;
  let ns = 0;
  let lastOtherwiseIndex = 0;
  let lastOtherwiseState = 0;
  for (let i = 0; i <= length; i += 1) {
    for (let j = i; j <= length; j += 1) {
      const c = j === length ? m.eosColumn : cols[j]!;
      if (c === SKIP_COLUMN) continue;
      ns = next[state * width + c]!;
      if (state === 0 && ns !== 0) first = j;
      if (terminal[ns] === 1) {
        push(m, patterns, first, j, ns);
        i = j;
        j = length + 100;
        ns = 0;
        lastOtherwiseState = 0;
      } else if (ns === 0) {
        if (lastOtherwiseState !== 0) {
          push(m, patterns, first, lastOtherwiseIndex, lastOtherwiseState);
          i = lastOtherwiseIndex;
          j = length + 100;
          ns = 0;
          lastOtherwiseState = 0;
        } else {
          j = length + 100;
        }
      }
      state = ns;
      const o = otherwise[state]!;
      if (o !== 0) {
        lastOtherwiseIndex = j;
        lastOtherwiseState = o;
      }
    }
  }
  return patterns;
}

/**
 * The lexeme table's form → id (wink's `features.lexeme.hash`), mirrored in an open-addressing
 * table of its own. The tokenizer's chunks are fresh strings: a keyed load of one from wink's
 * dictionary-mode object first hashes it and looks it up in V8's table of all internalized strings,
 * then in the object — the costliest step of tokenising (~400 ns a chunk here). This table hashes
 * the chunk's characters itself (FNV-1a) and probes one typed array; a hit is confirmed by comparing
 * the form stored at that id. The owner keeps it equal to `hash` (set() and delete() beside every
 * write to it).
 */
export class FormIndex {
  /** [hash, id + 1] per slot; id + 1 is 0 for an empty slot and DELETED for a removed entry. */
  private slots: Int32Array;
  private mask: number;
  /** Slots not empty (entries and removed ones). */
  private used = 0;
  /**
   * A small direct-mapped table of forms found lately, in front of the big one: the frequent forms
   * (most chunks of any text) then sit in a few cache lines rather than scattered over the table,
   * the lexeme list and the heap. [hash, id + 1] per entry (0: empty), and the form itself.
   */
  private readonly hot = new Int32Array(HOT * 2);
  private readonly hotForms = new Array<string | undefined>(HOT).fill(undefined);

  /** An index of `list` as wink's loader hashes it (the last of equal forms wins). */
  constructor(private readonly list: readonly string[], size: number) {
    let bits = 10;
    while (1 << bits < size * 2) bits++;
    this.slots = new Int32Array(2 << bits);
    this.mask = (1 << bits) - 1;
    for (let k = 0; k < size; k++) this.set(list[k]!, k);
  }

  /** The id of form `s`, -1 when it has none. */
  get(s: string): number {
    const h = formHash(s);
    const k = (h >>> HOT_SHIFT) << 1;
    const hot = this.hot;
    if (hot[k] === h && hot[k + 1] !== 0 && this.hotForms[k >> 1] === s) return hot[k + 1]! - 1;
    const i = this.slotOf(s, h);
    if (i < 0) return -1;
    const v = this.slots[2 * i + 1]!;
    hot[k] = h;
    hot[k + 1] = v;
    this.hotForms[k >> 1] = this.list[v - 1];
    return v - 1;
  }

  /**
   * The slot holding form `s` (hash `h`), or, when it is not listed, ~(the empty slot that ended the
   * probe), where it would go: get, set and delete share this one probe.
   */
  private slotOf(s: string, h: number): number {
    const slots = this.slots;
    let i = h & this.mask;
    for (;;) {
      const v = slots[2 * i + 1]!;
      if (v === 0) return ~i;
      if (v > 0 && slots[2 * i] === h && this.list[v - 1] === s) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** Forget form `s` in the hot table (its entry changes). */
  private forget(s: string, h: number): void {
    const k = (h >>> HOT_SHIFT) << 1;
    if (this.hotForms[k >> 1] === s) {
      this.hot[k + 1] = 0;
      this.hotForms[k >> 1] = undefined;
    }
  }

  /** List form `s` under `id` (the form is `list[id]`), replacing an entry it has. */
  set(s: string, id: number): void {
    const h = formHash(s);
    this.forget(s, h);
    const i = this.slotOf(s, h);
    if (i >= 0) {
      this.slots[2 * i + 1] = id + 1;
      return;
    }
    this.slots[2 * ~i] = h;
    this.slots[2 * ~i + 1] = id + 1;
    if (++this.used * 10 > (this.mask + 1) * 6) this.grow();
  }

  /** Unlist form `s`. */
  delete(s: string): void {
    const h = formHash(s);
    this.forget(s, h);
    const i = this.slotOf(s, h);
    if (i >= 0) this.slots[2 * i + 1] = DELETED;
  }

  /** Rehash into a table twice the size, dropping removed entries. */
  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    this.used = 0;
    for (let i = 0; i < old.length; i += 2) {
      const v = old[i + 1]!;
      if (v <= 0) continue;
      let j = old[i]! & this.mask;
      while (this.slots[2 * j + 1] !== 0) j = (j + 1) & this.mask;
      this.slots[2 * j] = old[i]!;
      this.slots[2 * j + 1] = v;
      this.used++;
    }
  }
}

/** Entries of FormIndex's hot table (a power of two), picked by the top bits of a form's hash. */
const HOT_BITS = 12;
const HOT = 1 << HOT_BITS;
const HOT_SHIFT = 32 - HOT_BITS;
/** FormIndex's mark of a removed entry (probes go on past it). */
const DELETED = -1;

/** FNV-1a over the string's UTF-16 code units, with a final mix so the low bits (the slot) spread. */
function formHash(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}
