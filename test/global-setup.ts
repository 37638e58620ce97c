// Builds the CLI once before the suite, so tests that spawn ./bin/parley run the current code.
// tsc emits even when a file has a type error; `npm run typecheck` (run by CI) is what fails on those.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(__dirname, '..');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', root], { encoding: 'utf8' });
  if (r.status !== 0) console.warn(`tsc reported type errors (the build was still emitted):\n${(r.stdout ?? '').slice(0, 2000)}`);
}
