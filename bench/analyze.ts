// `npm run bench` — throughput of `parley analyze --jsonl` on real articles, beside wink-nlp's bare
// readDoc over the same texts on one core. `npm run bench -- --count 100000` streams that many
// articles (the corpus cycled) and prints memory as it goes, to show it stays flat.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { nlp } from '../src/analyze/segment.js';
import { polnearTexts, procMemory } from './corpus.js';

const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--count') + 1] ?? 0) || 0;
const texts = polnearTexts();
if (!texts) {
  console.log('skipped: ../shared/data/polnear is absent (the benchmark needs real articles)');
  process.exit(0);
}
const n = count || texts.length;
const mb = (b: number): string => `${(b / 1048576).toFixed(0)} MB`;

// 1. bare wink-nlp readDoc, one core, same texts.
const w = nlp();
let tokens = 0;
for (let i = 0; i < Math.min(50, texts.length); i++) w.readDoc(texts[i]!.text); // warm-up
const t0 = performance.now();
const bareN = Math.min(n, texts.length);
for (let i = 0; i < bareN; i++) tokens += w.readDoc(texts[i]!.text).tokens().length();
const bareS = (performance.now() - t0) / 1000;
const avgTokens = tokens / bareN;
console.log(`corpus: PolNeAR train+dev, ${texts.length} articles, ${avgTokens.toFixed(0)} wink tokens/article on average`);
console.log(`wink-nlp readDoc (1 core):      ${(bareN / bareS).toFixed(1)} articles/s, ${(tokens / bareS).toFixed(0)} tokens/s`);

// 2. the whole analysis, batch mode, through the real command.
const child = spawn(process.execPath, ['bin/parley', 'analyze', '--jsonl'], { stdio: ['pipe', 'pipe', 'inherit'] });
let lines = 0;
let errors = 0;
let rest = '';
let peak = 0;
const samples: string[] = [];
const sample = setInterval(() => {
  const m = procMemory(child.pid!);
  if (m) peak = Math.max(peak, m.hwm);
}, 200);
const t1 = performance.now();
/** When half the lines were out: the second half's rate is the steady state (start-up and JIT warm-up excluded). */
let tHalf = 0;
child.stdout.setEncoding('utf8');
child.stdout.on('data', (d: string) => {
  const parts = (rest + d).split('\n');
  rest = parts.pop()!;
  for (const p of parts) {
    lines++;
    if (lines === Math.floor(n / 2)) tHalf = performance.now();
    if (p.startsWith('{"id":null,"error"') || /^\{"id":[^,]*,"error"/.test(p)) errors++;
    if (count && lines % 10000 === 0) {
      const m = procMemory(child.pid!);
      samples.push(`${lines}: rss ${m ? mb(m.rss) : '?'}`);
      console.log(`  ${lines} articles, ${((lines / (performance.now() - t1)) * 1000).toFixed(1)}/s, rss ${m ? mb(m.rss) : '?'}`);
    }
  }
});
(async () => {
  for (let i = 0; i < n; i++) {
    const t = texts[i % texts.length]!;
    const ok = child.stdin.write(JSON.stringify({ id: `${i}`, text: t.text }) + '\n');
    if (!ok) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
})();
child.on('close', (code) => {
  clearInterval(sample);
  const s = (performance.now() - t1) / 1000;
  console.log(`parley analyze --jsonl (${os.availableParallelism()} cores): ${(lines / s).toFixed(1)} articles/s, ${((lines * avgTokens) / s).toFixed(0)} tokens/s, peak RSS ${mb(peak)}, ${lines} lines out, ${errors} errors, exit ${code}`);
  console.log(`ratio to bare readDoc on one core: ${((lines / s) / (bareN / bareS)).toFixed(2)}`);
  if (tHalf) {
    // Bare readDoc above is timed after a warm-up too, so this is the like-for-like ratio.
    const half = (lines - Math.floor(n / 2)) / ((performance.now() - tHalf) / 1000);
    console.log(`second half of the stream (steady state): ${half.toFixed(1)} articles/s, ratio ${(half / (bareN / bareS)).toFixed(2)}`);
  }
  console.log(`machine: ${os.cpus()[0]?.model ?? '?'} x${os.cpus().length}, ${mb(os.totalmem())} RAM, node ${process.version}`);
});
