// CI's check of the README's first command: given the address `npm start` printed, the UI answers
// and a sync on the demo organization runs to the end through the same contract the UI uses.
// Usage: node bin/run-ts.js scripts/demo-check.ts http://127.0.0.1:PORT/?token=…
import WebSocket from 'ws';
import type { Envelope } from '../main/common/contract';
import { defaultMapping } from '../main/common/domain/mapping';

const address = new URL(process.argv[2] ?? '');
const fail = (message: string): never => {
  console.error(`demo-check: ${message}`);
  process.exit(1);
};

const page = await fetch(address);
const html = await page.text();
if (page.status !== 200 || !/<div id="app"/.test(html)) fail(`the UI did not answer (HTTP ${page.status})`);
console.log(`demo-check: the UI answers at ${address.origin}`);

const ws = new WebSocket(`ws://${address.host}/ipc${address.search}`);
await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
let nextId = 1;
const waiting = new Map<string, (e: Envelope<unknown>) => void>();
const finished: Array<{ syncId: string; status: string; counts: { total: number; new: number } }> = [];
ws.on('message', (data) => {
  const m = JSON.parse(data.toString()) as { id?: string; reply?: Envelope<unknown>; event?: string; payload?: never };
  if (m.event === 'run.finished') finished.push(m.payload as never);
  else if (m.id && m.reply) waiting.get(m.id)?.(m.reply);
});
async function call<T>(channel: string, payload: unknown): Promise<T> {
  const id = `d${nextId++}`;
  const reply = await new Promise<Envelope<unknown>>((resolve) => {
    waiting.set(id, resolve);
    ws.send(JSON.stringify({ id, channel, payload }));
  });
  if (!reply.ok) fail(`${channel}: ${reply.error.message}`);
  return (reply as { value: T }).value;
}

const accounts = await call<Array<{ id: string; isDemo: boolean }>>('accounts.list', {});
const demo = accounts.find((a) => a.isDemo) ?? fail('the demo organization is not connected');
const orgs = await call<Array<{ id: string; name: string }>>('accounts.organizations', { accountId: demo.id });
const list = await call<{ id: string }>('lists.create', { name: `Demo check ${Date.now()}` });
const sync = await call<{ id: string }>('syncs.create', {
  runNow: true,
  sync: {
    name: 'Demo check', accountId: demo.id, organizationId: orgs[0]!.id, listId: list.id, importOption: { kind: 'all' },
    mapping: defaultMapping(), updatePolicy: 'overwrite', updateEmptyValues: false, schedule: { kind: 'once' }, retrievalStart: { kind: 'all' },
  },
});
const deadline = Date.now() + 120_000;
while (!finished.some((f) => f.syncId === sync.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
const run = finished.find((f) => f.syncId === sync.id) ?? fail('the demo sync did not finish within 2 minutes');
if (run.status !== 'succeeded' || run.counts.new === 0) fail(`the demo sync ended ${run.status} with ${run.counts.new} new contacts`);
console.log(`demo-check: a demo sync of "${orgs[0]!.name}" imported ${run.counts.new} of ${run.counts.total} contacts`);
ws.close();
process.exit(0);
