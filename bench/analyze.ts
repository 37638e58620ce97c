// `npm run bench` — throughput of `parley analyze --jsonl` on real articles, beside wink-nlp's bare
// readDoc over the same texts on one core.
//
// By default the PolNeAR train+dev corpus (924 articles) is streamed ten times over (9,240
// articles, about half a minute): a run of ~3,000 articles spends a third of its time in process
// start, model loading and JIT warm-up (see docs/BENCHMARKS.md), so it measures start-up more
// than throughput; ten rounds leave a second half that runs warm. `--count N` streams N articles
// (the corpus cycled) and prints memory every 10,000, to show it stays flat (e.g. --count 100000;
// --count 2772 for a short batch).
//
// Printed for Parley:
// - the whole run, from spawning the command to its last line (process start, model loading in
//   each worker, JIT warm-up, analysis);
// - the time to the first answer (start-up);
// - the second half of the stream: the steady state, like for like with bare readDoc, which is
//   timed after its model is loaded and after a warm-up pass;
// - bare readDoc's own whole run as a stream command (bench/readdoc-stream.ts: process start, model
//   load, warm-up), the like-for-like partner of Parley's whole run.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { nlp } from '../src/analyze/segment.js';
import { polnearTexts, procMemory } from './corpus.js';

const args = process.argv.slice(2);
const at = args.indexOf('--count');
const count = at >= 0 ? Number(args[at + 1]) : 0;
if (at >= 0 && !(Number.isInteger(count) && count > 0)) {
  console.error('bench: --count needs a positive whole number');
  process.exit(2);
}
const texts = polnearTexts();
if (!texts) {
  console.log('skipped: ../shared/data/polnear is absent (the benchmark needs real articles)');
  process.exit(0);
}
/** Rounds of the corpus streamed by default. */
const DEFAULT_ROUNDS = 10;
const n = count || DEFAULT_ROUNDS * texts.length;
const mb = (b: number): string => `${(b / 1048576).toFixed(0)} MB`;

// 1. bare wink-nlp readDoc, one core, same texts, timed warm: once before Parley's run and once
// after it, and the faster of the two counts (the stricter comparison: this VM's speed drifts by
// ±20% over minutes, so one timing alone can flatter either side).
const w = nlp();
for (let i = 0; i < Math.min(50, texts.length); i++) w.readDoc(texts[i]!.text); // warm-up
let tokens = 0;
/** Seconds for one readDoc pass over the corpus (counts its tokens). */
function barePass(): number {
  tokens = 0;
  const t0 = performance.now();
  for (const t of texts!) tokens += w.readDoc(t.text).tokens().length();
  return (performance.now() - t0) / 1000;
}
const bareBefore = barePass();
const avgTokens = tokens / texts.length;
console.log(`corpus: PolNeAR train+dev, ${texts.length} articles, ${avgTokens.toFixed(0)} wink tokens/article on average; ${n} articles streamed`);
console.log(`wink-nlp readDoc (1 core, warm), before: ${(texts.length / bareBefore).toFixed(1)} articles/s, ${(tokens / bareBefore).toFixed(0)} tokens/s`);

// 2. the whole analysis, batch mode, through the real command; then bare readDoc as a stream
// command over the same lines (bench/readdoc-stream.ts), both timed from spawn to last line.
interface StreamRun {
  lines: number;
  errors: number;
  seconds: number;
  /** Seconds from spawn to the first and to the middle line. */
  first: number;
  half: number;
  peak: number;
  code: number | null;
}

/** Bytes of a line's start read to tell an error line (`{"id":…,"error":…}`) from an analysis. */
const HEAD = 200;
/** The texts as JSON strings, made once: the input lines are `{"id":"<i>","text":<this>}`. */
const textJson = texts.map((t) => JSON.stringify(t.text));

/** Stream the n articles into a command and time it from spawn to its last line. */
function runStream(argv: string[], progress: boolean): Promise<StreamRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
    let lines = 0;
    let errors = 0;
    let peak = 0;
    const sample = setInterval(() => {
      const m = procMemory(child.pid!);
      if (m) peak = Math.max(peak, m.hwm);
    }, 200);
    const t1 = performance.now();
    let tFirst = 0;
    /** When half the lines were out: the second half's rate is the steady state. */
    let tHalf = 0;
    const half = Math.floor(n / 2);
    // This harness shares the 2 cores with the command it times, so it reads the output as bytes:
    // it counts newlines and decodes only the first bytes of each line (enough to tell an error
    // line), instead of decoding and splitting ~25 KB of JSON per article.
    /** The start of the current line, until HEAD bytes of it are known; null once it was judged. */
    let head: Buffer | null = Buffer.alloc(0);
    const judge = (h: Buffer): void => {
      if (/^\{"id":[^,]*,"error"/.test(h.toString('latin1'))) errors++;
    };
    child.stdout.on('data', (d: Buffer) => {
      for (let from = 0; ; ) {
        const nl = d.indexOf(10, from);
        const end = nl < 0 ? d.length : nl;
        if (head !== null) {
          head = Buffer.concat([head, d.subarray(from, Math.min(end, from + HEAD - head.length))]);
          if (head.length >= HEAD || nl >= 0) {
            judge(head);
            head = null;
          }
        }
        if (nl < 0) break;
        lines++;
        head = Buffer.alloc(0);
        from = nl + 1;
        if (lines === 1) tFirst = performance.now();
        if (lines === half) tHalf = performance.now();
        if (progress && count && lines % 10000 === 0) {
          const m = procMemory(child.pid!);
          console.log(`  ${lines} articles, ${((lines / (performance.now() - t1)) * 1000).toFixed(1)}/s, rss ${m ? mb(m.rss) : '?'}`);
        }
      }
    });
    (async () => {
      for (let i = 0; i < n; i++) {
        const ok = child.stdin.write(`{"id":"${i}","text":${textJson[i % textJson.length]}}\n`);
        if (!ok) await new Promise((r) => child.stdin.once('drain', r));
      }
      child.stdin.end();
    })();
    child.on('close', (code) => {
      clearInterval(sample);
      const end = performance.now();
      const sec = (t: number): number => (t - t1) / 1000;
      done({ lines, errors, seconds: sec(end), first: sec(tFirst), half: tHalf ? sec(tHalf) : 0, peak, code });
    });
  });
}

const cores = os.availableParallelism();
const p = await runStream(['bin/parley', 'analyze', '--jsonl'], true);
const bareAfter = barePass();
const bareRate = texts.length / Math.min(bareBefore, bareAfter);
console.log(`wink-nlp readDoc (1 core, warm), after:  ${(texts.length / bareAfter).toFixed(1)} articles/s; the faster, ${bareRate.toFixed(1)}/s, counts`);
const whole = p.lines / p.seconds;
console.log(`parley analyze --jsonl (${cores} cores), whole run: ${whole.toFixed(1)} articles/s, ${((p.lines * avgTokens) / p.seconds).toFixed(0)} tokens/s, ratio ${(whole / bareRate).toFixed(2)}; first answer after ${p.first.toFixed(2)} s; peak RSS ${mb(p.peak)}; ${p.lines} lines out, ${p.errors} errors, exit ${p.code}`);
if (p.half) {
  const steady = (p.lines - Math.floor(n / 2)) / (p.seconds - p.half);
  console.log(`parley analyze --jsonl (${cores} cores), steady state (second half): ${steady.toFixed(1)} articles/s, ratio ${(steady / bareRate).toFixed(2)}`);
}
// Like for like from a cold start: bare readDoc as a stream command, paying process start, model
// load and warm-up as Parley's whole run does.
const r = await runStream(['dist/bench/readdoc-stream.js'], false);
const bareWhole = r.lines / r.seconds;
console.log(`wink-nlp readDoc as a stream command (1 core), whole run: ${bareWhole.toFixed(1)} articles/s, exit ${r.code}; parley's whole run / this: ratio ${(whole / bareWhole).toFixed(2)}`);
console.log(`machine: ${os.cpus()[0]?.model ?? '?'} x${os.cpus().length}, ${mb(os.totalmem())} RAM, node ${process.version}`);
