// The load generator: drives a bot through /api/messages as Teams would, and prints what it measured.
//  1. install: one conversationUpdate ("bot added") per conversation, not timed: Teams sends it before anyone can
//     @mention the bot there, and it is where a bot first learns the conversation reference.
//  2. raise: N @mentions ("check ..."), each in a meeting chat of its own, over T tenants, C in flight at once.
//  3. answer: one card answer (adaptiveCard/action invoke, verb decision.answer) per decision raised, C in flight.
// Lean on purpose (keep-alive sockets read as bytes, no dependencies): it reports its own CPU time per phase next to the
// bot's, so a reader can see the generator was not what limited the run.
//
// usage: node generate.mjs --label bot --target http://127.0.0.1:P/api/messages --service-url http://127.0.0.1:P/
//          --harness http://127.0.0.1:P --n 500 --c 50 --t 50 [--pids bot=123,azurite=456,harness=789] [--out result.json]
//          [--phases install,raise,answer] [--run-id ID] [--round K --rounds R]   (run.sh alternates the bot's and the
//          peer's phases: the same --run-id keeps one side's conversations across its phases, --out collects its phases in
//          one file, and round K of R raises again in the same conversations, with activity ids of its own)
import net from 'node:net';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { messageReader } from './http1.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const label = args.label ?? 'bot';
const target = new URL(args.target);
const serviceUrl = args['service-url'];
const harness = args.harness;
const n = Number(args.n ?? 500);
const c = Number(args.c ?? 50);
const t = Number(args.t ?? 50);
const pids = Object.fromEntries((args.pids ?? '').split(',').filter(Boolean).map((p) => p.split('=')));
const botId = '28:bot-app-id';
const botName = 'Customer Advocate';
const runId = args['run-id'] ?? Date.now().toString(36);
const phases = (args.phases ?? 'install,raise,answer').split(',');
const round = Number(args.round ?? 1);
const rounds = Number(args.rounds ?? 1);

// One keep-alive connection per worker, written and read as bytes (http1.mjs frames the answers): Node's http client
// cost about 0.65 ms of CPU a request, over a quarter of a core at 400 raises a second on a 2-core machine, taken from
// whichever side was being measured; this about 0.45 ms, most of it building and timing the activities.
const connections = [];

function connection() {
  let socket = null;
  let waiting = null;
  const settle = (outcome) => {
    const w = waiting;
    waiting = null;
    if (w) outcome(w);
  };
  const open = () => {
    socket = net.connect(Number(target.port), target.hostname);
    socket.setNoDelay(true);
    connections.push(socket);
    const closed = (error) => {
      socket = null;
      settle((w) => w.reject(error ?? new Error('the connection closed before an answer came')));
    };
    socket.on('data', messageReader(({ startLine, body }) => settle((w) => w.resolve({ status: Number(startLine.split(' ')[1]), body: body.toString('utf8') })), { keepBody: true }));
    socket.on('error', closed);
    socket.on('close', () => closed());
  };
  return (body) => new Promise((resolve, reject) => {
    if (!socket) open();
    waiting = { resolve, reject };
    const text = JSON.stringify(body);
    socket.write(`POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  });
}

async function get(url) {
  const response = await fetch(url);
  return response.json();
}

const tenantOf = (i) => `load-tenant-${i % t}`;
const conversationOf = (i) => `19:meeting_load${runId}x${i}@thread.v2`;
const person = (name) => ({ id: `29:${name}`, name, aadObjectId: `aad-${name}` });
let sequence = { warmup: 0, install: 1, raise: 2, answer: 3 }[phases[0]] * 2 * n;

function activity(i, type, from, extra) {
  const tenantId = tenantOf(i);
  return {
    type,
    id: `load-${runId}${round > 1 ? `r${round}` : ''}-${++sequence}`,
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from,
    recipient: { id: botId, name: botName },
    conversation: { id: conversationOf(i), conversationType: 'groupChat', isGroup: true, tenantId },
    channelData: { tenant: { id: tenantId } },
    locale: 'en-GB',
    ...extra,
  };
}

const installed = (i) => activity(i, 'conversationUpdate', person('installer'), { membersAdded: [{ id: botId, name: botName }] });

const mention = (i) => activity(i, 'message', person(`raiser-${i % 7}`), {
  text: `<at>${botName}</at> check cut the returns window from 60 to 30 days (load ${i})`,
  textFormat: 'plain',
  entities: [{ type: 'mention', mentioned: { id: botId, name: botName }, text: `<at>${botName}</at>` }],
});

const answer = (i, decisionId) => activity(i, 'invoke', person(`answerer-${i % 11}`), {
  name: 'adaptiveCard/action',
  value: {
    action: { type: 'Action.Execute', verb: 'decision.answer', data: { decisionId, 'relationship.choice': 'harms', 'relationship.text': 'Loyal customers buy three times as often' } },
    trigger: 'manual',
  },
});

/** CPU seconds used so far by a process (utime + stime from /proc), or null where /proc is not there. */
function cpuSecondsOf(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks; 100 a second on Linux
  } catch {
    return null;
  }
}

/** Busy and total jiffies of the whole machine: other work on a shared machine shows up here. */
function machineTicks() {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = cpu[3] + (cpu[4] ?? 0);
    const total = cpu.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

async function phase(name, count, build, accept) {
  const latencies = [];
  const afterFirstWave = []; // requests after the first C, which all arrive at once on an idle server
  let errors = 0;
  let firstError = null;
  const before = { storage: (await get(`${harness}/__bench/stats`)), self: process.cpuUsage(), procs: Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSecondsOf(pid)])), machine: machineTicks() };
  const started = performance.now();
  let next = 0;
  async function worker() {
    const post = connection();
    while (true) {
      const i = next++;
      if (i >= count) return;
      const body = build(i);
      if (!body) continue;
      const at = performance.now();
      try {
        const response = await post(body);
        const took = performance.now() - at;
        latencies.push(took);
        if (i >= c) afterFirstWave.push(took);
        if (!accept(response)) {
          errors++;
          firstError ??= `HTTP ${response.status}: ${response.body.slice(0, 200)}`;
        }
      } catch (error) {
        errors++;
        firstError ??= String(error);
      }
    }
  }
  await Promise.all(Array.from({ length: c }, worker));
  const seconds = (performance.now() - started) / 1000;
  const selfCpu = process.cpuUsage(before.self);
  // Let background work started by these turns (card updates) finish before storage is counted: wait until the
  // connector and storage counters stop moving for half a second.
  let after = await get(`${harness}/__bench/stats`);
  for (let quiet = 0; quiet < 5;) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await get(`${harness}/__bench/stats`);
    quiet = now.storage.requests === after.storage.requests && now.connector.puts === after.connector.puts ? quiet + 1 : 0;
    after = now;
  }
  const machine = machineTicks();
  // How long Azurite took to answer each storage request of the phase: when storage itself stalls (Azurite's garbage
  // collector), every turn waiting on it does, and this shows it.
  const storageLatencies = (await get(`${harness}/__bench/storage-latencies?from=${before.storage.storage.timed}`)).sort((a, b) => a - b);
  const sorted = latencies.slice().sort((a, b) => a - b);
  const steady = afterFirstWave.sort((a, b) => a - b);
  const done = latencies.length;
  const result = {
    name,
    turns: done,
    errors,
    firstError,
    seconds,
    throughput: done / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    afterFirstWave: { p50: percentile(steady, 50), p99: percentile(steady, 99) },
    max: sorted[sorted.length - 1],
    storagePerTurn: (after.storage.requests - before.storage.storage.requests) / Math.max(1, done),
    storage: Object.fromEntries(['batches', 'reads', 'writes'].map((k) => [k, (after.storage[k] - before.storage.storage[k]) / Math.max(1, done)])),
    storageLatency: { p50: percentile(storageLatencies, 50), p99: percentile(storageLatencies, 99), max: storageLatencies.at(-1) ?? NaN },
    connector: { posts: after.connector.posts - before.storage.connector.posts, puts: after.connector.puts - before.storage.connector.puts },
    // CPU as a share of one core over the timed part (the machine has two): generator, bot, Azurite, harness.
    cpu: {
      generator: (selfCpu.user + selfCpu.system) / 1e6 / seconds,
      ...Object.fromEntries(Object.entries(pids).map(([k, pid]) => { const now = cpuSecondsOf(pid); return [k, now === null || before.procs[k] === null ? null : (now - before.procs[k]) / seconds]; })),
      machineBusy: before.machine && machine ? (machine.busy - before.machine.busy) / (machine.total - before.machine.total) : null,
    },
  };
  return result;
}

const show = (r) => {
  const cpu = Object.entries(r.cpu).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${k === 'machineBusy' ? `${(v * 100).toFixed(0)}%` : `${(v * 100).toFixed(0)}%core`}`).join(' ');
  const name = r.round ? `${r.name} ${r.round}/${rounds}` : r.name.padEnd(6);
  console.log(`${label} ${name} turns=${r.turns} errors=${r.errors} ${r.throughput.toFixed(1)}/s p50=${r.p50.toFixed(0)}ms p95=${r.p95.toFixed(0)}ms p99=${r.p99.toFixed(0)}ms max=${r.max.toFixed(0)}ms ` +
    `(after the first ${c}: p50=${r.afterFirstWave.p50.toFixed(0)}ms p99=${r.afterFirstWave.p99.toFixed(0)}ms) ` +
    `storage/turn=${r.storagePerTurn.toFixed(2)} (batch ${r.storage.batches.toFixed(2)}, read ${r.storage.reads.toFixed(2)}, write ${r.storage.writes.toFixed(2)}; ` +
    `Azurite answered in p50=${r.storageLatency.p50.toFixed(1)}ms p99=${r.storageLatency.p99.toFixed(1)}ms max=${r.storageLatency.max.toFixed(0)}ms) connector posts=${r.connector.posts} puts=${r.connector.puts} | cpu ${cpu}`);
  if (r.firstError) console.log(`${label} ${r.name} first error: ${r.firstError}`);
};

const ok = (response) => response.status >= 200 && response.status < 300;
const results = args.out && fs.existsSync(args.out) ? JSON.parse(fs.readFileSync(args.out, 'utf8')) : { label, n, c, t };
if (phases.includes('warmup')) {
  // Not measured: whole checks in conversations of their own, so both sides run warm code when measuring starts, as a
  // server that has been up for a while does. In rounds with a pause between them, because .NET promotes a method to
  // its optimised tier only after it was called 30 times once no new method was compiled for 100 ms (and with dynamic
  // PGO twice: instrumented, then final), in the background: one long burst left the bot compiling through the
  // measured raises (dotnet-counters: 0.5-0.7 s of JIT time a second, about 3,000 methods). V8 gets the same rounds.
  const w = Math.max(1, Math.min(100, Math.floor(n / 5)));
  for (let warmRound = 0; warmRound < 3; warmRound++) {
    const at = (i) => n + warmRound * w + i;
    await phase('warmup', w, (i) => installed(at(i)), ok);
    await phase('warmup', w, (i) => mention(at(i)), ok);
    const warm = await get(`${harness}/__bench/decisions`);
    await phase('warmup', w, (i) => (warm[conversationOf(at(i))] ? answer(at(i), warm[conversationOf(at(i))]) : null), ok);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
if (phases.includes('install')) show(results.install = await phase('install', n, installed, ok));
if (phases.includes('raise')) {
  const raised = { ...(await phase('raise', n, mention, ok)), round };
  results.raises = [...(results.raises ?? []).filter((r) => r.round !== round), raised];
  show(raised);
}
if (phases.includes('answer')) {
  const decisions = await get(`${harness}/__bench/decisions`);
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !decisions[conversationOf(i)]).length;
  if (missing > 0) console.log(`${label} answer: ${missing} of ${n} conversations have no checklist card to answer`);
  results.missing = missing;
  show(results.answer = await phase('answer', n, (i) => (decisions[conversationOf(i)] ? answer(i, decisions[conversationOf(i)]) : null),
    (response) => ok(response) && response.body.includes('application/vnd.microsoft.card.adaptive')));
}
for (const socket of connections) socket.destroy();
if (args.out) fs.writeFileSync(args.out, JSON.stringify(results, null, 2));
