// wink-nlp's pattern automaton (wink-nlp/src/automaton.js, `recognize`) over typed arrays, for
// segment()'s reader. wink's automaton keeps its transitions in objects keyed by token number
// (sparse keys such as 1080005: dictionary lookups) and calls the model's token transformer at every
// step, again on each token it revisits after a failed partial match. Here the transitions are one
// Int32Array indexed by state and column, the tokens are turned into columns once per text by the
// caller (transformer applied once per token), and the scan is wink's, step for step.
// test/segment-fsm.test.ts holds it against wink's recognize on real texts.

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

export interface Machine {
  /** Token number → column (1…); tokens not here take NO_COLUMN. */
  columns: Map<number, number>;
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
 * markedStates, customPropertyAtStates]).
 */
export function compileMachine(json: string): Machine {
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
  return { columns, width, next, otherwise, terminal, names, marks, eosColumn: columns.get(EOS_TOKEN) ?? NO_COLUMN };
}

/**
 * The column of a (transformed) token. wink looks a token up as a key of the state's object, so a
 * string token matches as its number when it is that number's string: the pos updater writes the
 * pattern names it applies (such as "16") into the POS tags the next automaton reads.
 */
export function columnOf(m: Machine, token: number | string): number {
  if (typeof token === 'number') return m.columns.get(token) ?? NO_COLUMN;
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
