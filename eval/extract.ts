// `npm run eval:extract`: scores `parley extract --jsonl` on the article-extraction benchmark
// (../shared/data/aeb) with the benchmark's own metric, beside the reference systems' outputs.
// Flags: --in-process (call extractArticle directly, no CLI), --worst N (list the N worst pages),
// --only a,b (page ids), --ablation (also score with each of our steps around Readability switched off). Skips with a message when the data is absent.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { aggregate, pageScore, type TpFpFn } from './extract-metric.js';
import { decodeMarkup } from '../src/ingest/decode.js';
import { extractArticle, type ExtractStep } from '../src/ingest/extract.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const AEB = path.resolve(ROOT, '../shared/data/aeb');

interface Truth {
  articleBody: string;
  url: string;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function viaCli(pages: { id: string; html: string; url: string }[]): Promise<Map<string, string>> {
  const child = spawn(path.join(ROOT, 'bin/parley'), ['extract', '--jsonl'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const out = new Map<string, string>();
  let buf = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const o = JSON.parse(buf.slice(0, i)) as { id: string; text?: string; error?: string };
      out.set(o.id, o.text ?? '');
      buf = buf.slice(i + 1);
    }
  });
  const done = new Promise<void>((res, rej) => child.on('close', (c) => (c === 0 ? res() : rej(new Error(`parley extract exited ${c}`)))));
  for (const p of pages) {
    if (!child.stdin.write(`${JSON.stringify(p)}\n`)) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  await done;
  return out;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(AEB, 'ground-truth.json'))) {
    console.log(`eval:extract skipped: ${AEB} is absent`);
    return;
  }
  const truth = JSON.parse(readFileSync(path.join(AEB, 'ground-truth.json'), 'utf8')) as Record<string, Truth>;
  let ids = Object.keys(truth).sort();
  const only = arg('--only');
  if (only) ids = ids.filter((id) => only.split(',').some((p) => id.startsWith(p)));
  const pages = ids.map((id) => ({
    id,
    html: decodeMarkup(gunzipSync(readFileSync(path.join(AEB, 'html', `${id}.html.gz`)))),
    url: truth[id]!.url,
  }));
  const t0 = performance.now();
  let preds: Map<string, string>;
  if (process.argv.includes('--in-process')) {
    preds = new Map();
    for (const p of pages) {
      try {
        preds.set(p.id, extractArticle(p.html, { url: p.url }).text);
      } catch {
        preds.set(p.id, '');
      }
    }
  } else preds = await viaCli(pages);
  const secs = (performance.now() - t0) / 1000;

  const rows: [string, TpFpFn[]][] = [];
  const ours = ids.map((id) => pageScore(truth[id]!.articleBody, preds.get(id) ?? ''));
  rows.push(['parley', ours]);
  const refDir = path.join(AEB, 'reference-outputs');
  for (const f of readdirSync(refDir).filter((x) => x.endsWith('.json')).sort()) {
    const raw = JSON.parse(readFileSync(path.join(refDir, f), 'utf8')) as Record<string, unknown>;
    // Some files wrap the outputs as {"output": {...}, "version"}.
    const ref = (raw.output && typeof raw.output === 'object' ? raw.output : raw) as Record<string, { articleBody?: string }>;
    rows.push([f.replace(/\.json$/, ''), ids.map((id) => pageScore(truth[id]!.articleBody, ref[id]?.articleBody ?? ''))]);
  }
  console.log(`article-extraction-benchmark: ${ids.length} pages (${AEB})`);
  console.log('system              precision  recall     F1');
  for (const [name, sc] of rows) {
    const m = aggregate(sc);
    console.log(`${name.padEnd(20)}${m.precision.toFixed(3).padEnd(11)}${m.recall.toFixed(3).padEnd(11)}${m.f1.toFixed(3)}`);
  }
  console.log(`parley: ${secs.toFixed(1)} s, ${(ids.length / secs).toFixed(1)} pages/s (${process.argv.includes('--in-process') ? 'in process' : 'CLI --jsonl, startup included'})`);
  if (process.argv.includes('--ablation')) {
    const variants: [string, ExtractStep[]][] = [
      ['all steps', []],
      ['no preClean', ['preClean']],
      ['no postClean', ['postClean']],
      ['no fallbacks', ['fallbacks']],
      ['Readability only', ['preClean', 'postClean', 'fallbacks']],
    ];
    console.log('ablation (in process)   precision  recall     F1');
    for (const [name, skip] of variants) {
      const cpu0 = process.cpuUsage();
      const sc = pages.map((p) => {
        let t = '';
        try {
          t = extractArticle(p.html, { url: p.url, skip }).text;
        } catch {
          // no article: empty prediction
        }
        return pageScore(truth[p.id]!.articleBody, t);
      });
      const cpu = process.cpuUsage(cpu0);
      const cpuSecs = (cpu.user + cpu.system) / 1e6;
      const m = aggregate(sc);
      // CPU time, unlike wall time, does not depend on what else the machine is running.
      console.log(`${name.padEnd(24)}${m.precision.toFixed(3).padEnd(11)}${m.recall.toFixed(3).padEnd(11)}${m.f1.toFixed(3).padEnd(7)}  ${(pages.length / cpuSecs).toFixed(1)} pages per CPU-second`);
    }
  }
  const worst = Number(arg('--worst') ?? 0);
  if (worst > 0) {
    const byF = ids.map((id, i) => {
      const [tp, fp, fn] = ours[i]!;
      return { id, p: tp / (tp + fp || 1), r: tp / (tp + fn || 1) };
    });
    byF.sort((a, b) => a.p + a.r - (b.p + b.r));
    for (const w of byF.slice(0, worst)) console.log(`  ${w.id.slice(0, 12)} P=${w.p.toFixed(2)} R=${w.r.toFixed(2)} ${truth[w.id]!.url}`);
  }
}

main().catch((e) => {
  console.error(`eval:extract: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
