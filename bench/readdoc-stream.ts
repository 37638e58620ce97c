// Bare wink-nlp readDoc as a stream command, for `npm run bench`'s like-for-like whole run: reads
// `{"id","text"}` lines on stdin (the same lines `parley analyze --jsonl` gets), runs readDoc on
// each text on one core and writes one line per article (its id and token count). Timed from its
// spawn to its last line, it pays what Parley's whole run pays: process start, model load, JIT
// warm-up, reading and writing the stream.
import { createInterface } from 'node:readline';
import { nlp } from '../src/analyze/segment.js';

const w = nlp();
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
let out = '';
for await (const line of rl) {
  if (!line) continue;
  const { id, text } = JSON.parse(line) as { id: string; text: string };
  out += `{"id":${JSON.stringify(id)},"tokens":${w.readDoc(text).tokens().length()}}\n`;
  if (out.length > 65536) {
    if (!process.stdout.write(out)) await new Promise((r) => process.stdout.once('drain', r));
    out = '';
  }
}
process.stdout.write(out);
