#!/usr/bin/env node
// The soak (docs/reliability.md): two bot instances behind a round-robin proxy, one Azurite (on disk, so its data
// survives its restarts) and a recording connector. Simulated meetings raise decisions and answer them continuously,
// as Teams would drive the bot (redeliveries included); Azurite is restarted twice and one bot is killed and restarted.
// At the end every acknowledged answer is checked against storage and against the card posted for everyone.
// Prints one line: operations=… acknowledged=… lost=0 duplicated=0 silent=0 digest_posts_per_slot=1; exits 1 on any
// loss, duplicate or silent drop. Plain Node (no packages): it only drives processes and HTTP, and starts in a blink.
'use strict';
const http = require('http');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const MINUTES = Number(opt('--minutes', process.env.SOAK_MINUTES || 3));
const MEETINGS = Number(opt('--meetings', 4));
const PEOPLE = Number(opt('--people', 8));
const ROOT = path.resolve(__dirname, '..');
const AZURITE_PORT = Number(process.env.SOAK_AZURITE_PORT || 10231);
const BASE_PORT = Number(process.env.SOAK_PORT_BASE || 43010);
const CONNECTOR_PORT = BASE_PORT, PROXY_PORT = BASE_PORT + 1, BOT_PORTS = [BASE_PORT + 2, BASE_PORT + 3];
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const PREFIX = 'soak' + crypto.randomBytes(4).toString('hex');
const TENANT = 'tenant-soak';
const SERVICE_URL = `http://127.0.0.1:${CONNECTOR_PORT}/`;
const DIGEST_CHAT = '19:soak-digest@thread.v2';
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-'));
const BOT_DLL = path.join(ROOT, 'Bot', 'bin', 'Debug', 'net10.0', 'CustomerAdvocateBot.dll');
const PROMPTS = [
  ['relationship', ['harms', 'neutral', 'helps']],
  ['incentives', ['against', 'mixed', 'aligned']],
  ['moments', ['discover', 'buy', 'use']],
  ['evidence', ['customer-feedback', 'financials', 'none']],
  ['frontline', ['harms', 'neutral', 'helps']],
  ['pilot', ['yes', 'done', 'no']],
  ['customer-in-room', ['yes', 'unsure', 'no']],
];

const sleep = ms => new Promise(r => setTimeout(r, ms));
const log = (...m) => console.error(`[soak ${new Date().toISOString().slice(11, 19)}]`, ...m);
const pick = a => a[Math.floor(Math.random() * a.length)];
const stats = { operations: 0, acknowledged: 0, refused: 0, silent: 0, failedRequests: 0, redeliveries: 0 };
const silentDetails = [];

// ---------- processes ----------
const children = new Set();
function start(name, cmd, argv, env) {
  const out = fs.openSync(path.join(WORK, name + '.log'), 'a');
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', out, out], cwd: ROOT });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}
async function stop(child, signal = 'SIGTERM') {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(r => child.once('exit', r));
  child.kill(signal);
  await Promise.race([exited, sleep(15000)]);
  if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await exited; }
}
// Whether something listens on the port, read from /proc; true where /proc cannot tell (absent or unreadable), so the
// caller falls back to connecting.
// Polling by connecting alone can take the port: the bots' 43012-43013 lie in the ephemeral range (32768-60999), where
// a connection to a port nobody listens on can be given that same port as its source and connect to itself, and the
// bot starting there then cannot bind it (scripts/lib.sh, wait_for_http, where it happened to the load benchmark).
function listening(port) {
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const tables = ['/proc/net/tcp', '/proc/net/tcp6'].filter((file) => fs.existsSync(file));
  if (tables.length === 0) return true;
  try {
    return tables.some((file) => fs.readFileSync(file, 'utf8').split('\n').slice(1)
      .some((line) => { const [, address, , state] = line.trim().split(/\s+/); return state === '0A' && address?.endsWith(local); }));
  } catch {
    return true;
  }
}
async function waitForPort(port, seconds = 60) {
  for (let i = 0; i < seconds * 4; i++) {
    if (!listening(port)) { await sleep(250); continue; }
    const ok = await new Promise(r => { const s = require('net').connect(port, '127.0.0.1', () => { s.end(); r(true); }); s.on('error', () => r(false)); });
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`nothing listening on ${port}`);
}
async function waitForReady(port, seconds = 60) {
  for (let i = 0; i < seconds * 4; i++) {
    if (!listening(port)) { await sleep(250); continue; }
    const res = await request({ port, method: 'GET', path: '/readyz' }).catch(() => null);
    if (res && res.status === 200) return;
    await sleep(250);
  }
  throw new Error(`bot on ${port} never became ready`);
}

let azurite;
function startAzurite() {
  azurite = start('azurite', path.join(ROOT, 'tools/node_modules/.bin/azurite-table'),
    ['--tableHost', '127.0.0.1', '--tablePort', String(AZURITE_PORT), '--location', path.join(WORK, 'azurite'), '--silent', '--skipApiVersionCheck', '--disableTelemetry']);
  return waitForPort(AZURITE_PORT);
}
// SIGINT: Azurite closes cleanly and writes its database to disk. (SIGTERM kills it before its 5-second autosave, which
// loses writes it had acknowledged: something Azure Table Storage never does, so it would measure Azurite, not the bot.)
const stopAzurite = () => stop(azurite, 'SIGINT');
const connectionString = `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};TableEndpoint=http://127.0.0.1:${AZURITE_PORT}/${ACCOUNT};`;
const bots = [null, null];
function startBot(i) {
  bots[i] = start(`bot${i}`, 'dotnet', [BOT_DLL, '--contentRoot', path.join(ROOT, 'Bot'), '--urls', `http://127.0.0.1:${BOT_PORTS[i]}`], {
    ASPNETCORE_ENVIRONMENT: 'Development', DOTNET_ENVIRONMENT: 'Development', MicrosoftAppId: '',
    ConnectionStrings__Storage: connectionString, Storage__TablePrefix: PREFIX,
    Digest__InstanceId: `bot-${i}`, Digest__ClaimLease: '00:00:30',
    Jobs__InstanceId: `bot-${i}`, Jobs__SweepInterval: '00:00:05',
    Bot__ConnectorRetry__BaseDelay: '00:00:00.200', Logging__LogLevel__Default: 'Warning', Logging__Console__FormatterName: 'simple',
  });
  return waitForReady(BOT_PORTS[i]);
}

// ---------- HTTP ----------
function request({ port, method = 'POST', path: p, body, headers = {}, timeout = 30000 }) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers: { ...(data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}), ...headers }, agent: false }, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString() }));
    });
    req.setTimeout(timeout, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

// The recording connector: every activity the bot posts or updates, by conversation; ids it hands out.
const posts = []; // { method, conversation, activityId, body, at }
let nextId = 0;
const connector = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    const url = decodeURIComponent(req.url);
    const m = url.match(/^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/);
    let body = null;
    try { body = JSON.parse(Buffer.concat(chunks).toString() || 'null'); } catch { /* not JSON */ }
    if (m && (req.method === 'POST' || req.method === 'PUT')) {
      const activityId = req.method === 'PUT' ? m[2] : `posted-${++nextId}`;
      posts.push({ method: req.method, conversation: m[1], activityId, replyTo: req.method === 'POST' ? m[2] : undefined, body, at: Date.now() });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ id: activityId }));
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ id: `other-${++nextId}` }));
  });
});

// A load balancer that takes an instance out while it does not accept connections (as App Service does).
let turn = 0;
const proxy = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', async () => {
    const first = turn++ % 2;
    for (const i of [first, 1 - first]) {
      try {
        const r = await request({ port: BOT_PORTS[i], method: req.method, path: req.url, body: Buffer.concat(chunks).toString(), timeout: 60000 });
        res.writeHead(r.status, { 'Content-Type': r.headers['content-type'] || 'application/json' });
        return res.end(r.text);
      } catch (e) {
        if (e.code !== 'ECONNREFUSED') { res.writeHead(502); return res.end(); } // it got the request and died: Teams retries
      }
    }
    res.writeHead(502);
    res.end();
  });
});

// ---------- Table Storage (SharedKeyLite, for the final comparison) ----------
async function queryTable(table, filter) {
  const rows = [];
  let next = '';
  do {
    const p = `/${ACCOUNT}/${PREFIX}${table}()`;
    const date = new Date().toUTCString();
    const sig = crypto.createHmac('sha256', Buffer.from(KEY, 'base64')).update(`${date}\n/${ACCOUNT}${p}`).digest('base64');
    const q = `?$filter=${encodeURIComponent(filter)}${next}`;
    const r = await request({ port: AZURITE_PORT, method: 'GET', path: p + q, headers: { 'x-ms-date': date, 'x-ms-version': '2019-02-02', Accept: 'application/json;odata=nometadata', Authorization: `SharedKeyLite ${ACCOUNT}:${sig}` } });
    if (r.status !== 200) throw new Error(`query ${table} failed: ${r.status} ${r.text.slice(0, 200)}`);
    rows.push(...JSON.parse(r.text).value);
    const np = r.headers['x-ms-continuation-nextpartitionkey'], nr = r.headers['x-ms-continuation-nextrowkey'];
    next = np ? `&NextPartitionKey=${encodeURIComponent(np)}${nr ? `&NextRowKey=${encodeURIComponent(nr)}` : ''}` : '';
  } while (next);
  return rows;
}

// ---------- Teams, simulated ----------
let seq = 0;
const person = i => ({ id: `29:soak-person-${i}`, name: `Person ${i}`, aadObjectId: `aad-soak-person-${i}` });
function activity(type, conversation, from, extra) {
  return {
    type, id: `soak-${process.pid}-${++seq}`, timestamp: new Date().toISOString(), serviceUrl: SERVICE_URL, channelId: 'msteams', from,
    recipient: { id: '28:bot-app-id', name: 'Customer Advocate' },
    conversation: { id: conversation, conversationType: 'groupChat', isGroup: true, tenantId: TENANT },
    channelData: { tenant: { id: TENANT } }, locale: 'en-GB', ...extra,
  };
}
const message = (conversation, from, text) => activity('message', conversation, from, {
  text: `<at>Customer Advocate</at> ${text}`, textFormat: 'plain',
  entities: [{ type: 'mention', mentioned: { id: '28:bot-app-id', name: 'Customer Advocate' }, text: '<at>Customer Advocate</at>' }],
});
const press = (conversation, from, verb, data) => activity('invoke', conversation, from, {
  name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
});

// Teams redelivers an activity (same id) when the bot does not answer in time or answers 5xx; so does this.
async function deliver(act) {
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await request({ port: PROXY_PORT, path: '/api/messages', body: act, timeout: 15000 });
      if (r.status < 500 || attempt >= 4) return r;
    } catch (e) {
      if (attempt >= 4) return { status: 0, text: String(e) };
    }
    stats.redeliveries++;
    await sleep(500 * attempt);
  }
}

const raises = []; // { text, conversation, decisionId?, cardActivityId? }
const acks = new Map(); // `${decision}|${prompt}|${person}` -> { choice, text }

// One person's answer: pressed again (as a person would) until it is acknowledged, up to five times.
async function answer(meeting, decision, who, promptId, choice) {
  const text = `soak-${decision.decisionId}-${who}-${promptId}`;
  for (let tries = 0; tries < 5; tries++) {
    stats.operations++;
    const act = press(meeting, person(who), 'decision.answer', { decisionId: decision.decisionId, [`${promptId}.choice`]: choice, [`${promptId}.text`]: text });
    const copies = Math.random() < 0.1 ? 2 : 1; // sometimes Teams delivers the same invoke twice at once
    if (copies > 1) stats.redeliveries++;
    const results = await Promise.all(Array.from({ length: copies }, () => deliver(act)));
    const r = results[0];
    const kind = classify(r);
    if (kind === 'card') {
      stats.acknowledged++;
      acks.set(`${decision.decisionId}|${promptId}|aad-soak-person-${who}`, { choice, text });
      return;
    }
    if (kind === 'silent') {
      stats.silent++;
      silentDetails.push(`answer ${decision.decisionId} ${r.status} ${r.text.slice(0, 120)}`);
      return;
    }
    stats.refused++;
    await sleep(1000);
  }
}

// What an invoke answered: the card (saved), words the person sees (not saved), or nothing they could see.
function classify(r) {
  if (r.status === 0 || r.status >= 500) return 'failed'; // Teams shows "something went wrong"
  let body = null;
  try { body = JSON.parse(r.text); } catch { /* empty */ }
  if (body && body.type === 'application/vnd.microsoft.card.adaptive' && body.value) return 'card';
  if (body && (body.type === 'application/vnd.microsoft.activity.message' || body.type === 'application/vnd.microsoft.error') && body.value) return 'told';
  if (body && body.statusCode >= 400) return 'told';
  return 'silent';
}

async function raise(meeting, n) {
  const text = `soak ${meeting} decision ${n}`;
  const record = { text, conversation: meeting };
  raises.push(record);
  for (let tries = 0; tries < 5; tries++) {
    stats.operations++;
    const before = posts.length;
    const act = message(meeting, person(n % PEOPLE), `check ${text}`);
    const r = await deliver(act);
    if (Math.random() < 0.15) { stats.redeliveries++; await deliver(act); } // a late redelivery of the same message
    // The bot answers in the chat: the checklist card, or words saying why not.
    for (let waited = 0; waited < 15000; waited += 100) {
      const reply = posts.slice(before).find(p => p.method === 'POST' && p.conversation === meeting);
      if (reply) {
        const card = reply.body?.attachments?.[0]?.content;
        const id = card?.actions?.[0]?.data?.decisionId;
        if (id) { record.decisionId = id; record.cardActivityId = reply.activityId; stats.acknowledged++; return record; }
        stats.refused++;
        break;
      }
      await sleep(100);
    }
    if (!posts.slice(before).some(p => p.conversation === meeting) && r.status === 200) {
      stats.silent++;
      silentDetails.push(`raise "${text}" got ${r.status} and no reply`);
      return null;
    }
    await sleep(1000);
  }
  return null;
}

async function meetingLoop(meeting, until) {
  for (let n = 1; Date.now() < until; n++) {
    const decision = await raise(meeting, n);
    if (!decision) continue;
    // Everyone present answers a few prompts: some at the same instant, some over a few seconds.
    const burst = [];
    for (let who = 0; who < PEOPLE; who++) {
      const [promptId, choices] = pick(PROMPTS);
      const delay = who % 2 === 0 ? 0 : Math.floor(Math.random() * 3000);
      burst.push(sleep(delay).then(() => answer(meeting, decision, who, promptId, pick(choices))));
    }
    await Promise.all(burst);
    if (n % 2 === 0) {
      stats.operations++;
      const r = await deliver(press(meeting, person(0), 'decision.complete', { decisionId: decision.decisionId }));
      if (classify(r) === 'silent') { stats.silent++; silentDetails.push(`complete ${decision.decisionId}`); }
      // Someone still answering after the check completed.
      await answer(meeting, decision, PEOPLE, 'pilot', 'yes');
    }
  }
}

// ---------- the run ----------
async function main() {
  if (!fs.existsSync(BOT_DLL)) throw new Error(`build the bot first: ${BOT_DLL} is missing (dotnet build Bot)`);
  log(`work folder ${WORK}; ${MINUTES} min, ${MEETINGS} meetings, ${PEOPLE} people each`);
  await new Promise(r => connector.listen(CONNECTOR_PORT, '127.0.0.1', r));
  await new Promise(r => proxy.listen(PROXY_PORT, '127.0.0.1', r));
  await startAzurite();
  await Promise.all([startBot(0), startBot(1)]);
  log('two bots ready');

  // A digest every minute in one chat, posted by whichever instance claims the slot.
  await deliver(message(DIGEST_CHAT, person(0), 'digest here * * * * * Etc/UTC'));

  const startAt = Date.now(), until = startAt + MINUTES * 60000;
  const traffic = Array.from({ length: MEETINGS }, (_, i) => meetingLoop(`19:soak-meeting-${i}@thread.v2`, until));
  const chaos = (async () => {
    const at = f => sleep(Math.max(0, startAt + f * MINUTES * 60000 - Date.now()));
    await at(0.25); log('restarting Azurite (1/2)'); await stopAzurite(); await sleep(6000); await startAzurite(); log('Azurite back');
    await at(0.5); log('killing bot 1'); await stop(bots[1], 'SIGKILL'); await sleep(5000); await startBot(1); log('bot 1 back');
    await at(0.75); log('restarting Azurite (2/2)'); await stopAzurite(); await sleep(6000); await startAzurite(); log('Azurite back');
  })();
  await Promise.all([...traffic, chaos]);

  log('traffic stopped; letting background work settle');
  await settle();
  const result = await verify();
  const line = `operations=${stats.operations} acknowledged=${stats.acknowledged} lost=${result.lost} duplicated=${result.duplicated} silent=${stats.silent} digest_posts_per_slot=${result.perSlot}`;
  log(`refused-with-words=${stats.refused} redeliveries=${stats.redeliveries} stale_cards=${result.stale} digest_slots=${result.slots} decisions=${result.decisions} orphans_awaiting_cleanup=${result.orphans}`);
  for (const d of [...silentDetails, ...result.details].slice(0, 20)) log('  ' + d);
  console.log(line);
  return result.lost === 0 && result.duplicated === 0 && stats.silent === 0 && result.perSlot === 1 ? 0 : 1;
}

// Waits until no card update has arrived for 8 s (the jobs are done), at most a minute.
async function settle() {
  for (let i = 0; i < 600; i++) {
    const last = posts.length ? posts[posts.length - 1].at : 0;
    if (Date.now() - last > 8000) return;
    await sleep(100);
  }
}

async function verify() {
  const details = [];
  const decisions = raises.filter(r => r.decisionId);
  // Stored: every acknowledged answer is in the Decisions table as the person gave it.
  // Answers sit under their decision's key (D|{id}|A|{prompt}|{person}); rows of older decisions under A|{id}|… .
  const decisionRange = await queryTable('Decisions', `PartitionKey eq '${TENANT}' and RowKey ge 'D|' and RowKey lt 'D}'`);
  const isAnswerRow = row => row.RowKey.includes('|A|');
  const stored = new Map();
  for (const row of [...await queryTable('Decisions', `PartitionKey eq '${TENANT}' and RowKey ge 'A|' and RowKey lt 'A}'`), ...decisionRange.filter(isAnswerRow)]) {
    stored.set(`${row.DecisionId}|${row.PromptId}|${row.ById}`, row);
  }
  let lost = 0;
  for (const [key, ack] of acks) {
    const row = stored.get(key);
    if (!row || JSON.parse(row.Choices)[0] !== ack.choice || row.Text !== ack.text) { lost++; details.push(`not stored: ${key}`); }
  }
  // Posted: the card everyone sees (the last version posted) is the card the bot renders from storage now.
  let stale = 0;
  for (const d of decisions) {
    const versions = posts.filter(p => p.activityId === d.cardActivityId);
    const shown = versions[versions.length - 1]?.body?.attachments?.[0]?.content;
    // Asked by someone in the chat who never answered: the refresh gives each person their own view ("you", "Change"),
    // and the posted card is the view of nobody in particular.
    const r = await deliver(press(d.conversation, person(999), 'decision.refresh', { decisionId: d.decisionId }));
    const current = classify(r) === 'card' ? JSON.parse(r.text).value : null;
    if (!current || JSON.stringify(current) !== JSON.stringify(shown)) { stale++; details.push(`card of ${d.decisionId} is stale (${versions.length} versions)`); }
  }
  lost += stale;
  // Duplicated: one decision (one checklist card) per raise, however often it was delivered.
  let duplicated = 0;
  const markers = decisionRange.filter(row => row.RowKey.split('|').length === 2); // D|{id}: the decisions themselves
  // A decision whose card never reached the chat (the raise broke half-way and the person was told "not saved") is not
  // a duplicate anyone sees: a job removes it 15 minutes later (UnpostedDecisions). Counted apart, as orphans.
  const byText = new Map();
  let orphans = 0;
  for (const m of markers) {
    if (!m.CardActivityId) { orphans++; continue; }
    byText.set(m.Text, (byText.get(m.Text) || 0) + 1);
  }
  for (const [text, count] of byText) if (count > 1) { duplicated += count - 1; details.push(`${count} decisions for "${text}"`); }
  const checklistPosts = new Map();
  for (const p of posts.filter(p => p.method === 'POST' && p.body?.attachments?.[0]?.content?.actions?.[0]?.data?.decisionId)) {
    const id = p.body.attachments[0].content.actions[0].data.decisionId;
    checklistPosts.set(id, (checklistPosts.get(id) || 0) + 1);
  }
  for (const [id, count] of checklistPosts) if (count > 1) { duplicated += count - 1; details.push(`checklist of ${id} posted ${count} times`); }
  // The digest: posts in its chat against the slots recorded as posted.
  const digestPosts = posts.filter(p => p.method === 'POST' && p.conversation === DIGEST_CHAT && JSON.stringify(p.body).includes('Customer digest'));
  // Each slot's send record lives beside its subscription: ~sent|digest|{scope}|{slot}, Status Sent with the activity id.
  const runs = (await queryTable('DigestSubscriptions', `PartitionKey eq '${TENANT}'`)).filter(r => r.RowKey.startsWith('~sent|digest|') && r.Status === 'Sent' && r.ActivityId);
  const perMinute = new Map();
  for (const p of digestPosts) {
    const run = runs.find(r => r.ActivityId === p.activityId);
    const slot = run ? run.RowKey : `unrecorded@${new Date(p.at).toISOString().slice(0, 16)}`;
    perMinute.set(slot, (perMinute.get(slot) || 0) + 1);
  }
  const unrecordedSlots = [...perMinute.keys()].filter(k => k.startsWith('unrecorded'));
  let perSlot = perMinute.size === 0 ? 0 : Math.max(...perMinute.values());
  if (unrecordedSlots.length > 0) { perSlot = Math.max(perSlot, 2); details.push(`digest posts with no recorded slot: ${unrecordedSlots.join(', ')}`); }
  if (digestPosts.length > runs.length) { duplicated += digestPosts.length - runs.length; }
  return { lost, stale, duplicated, perSlot, slots: runs.length, decisions: decisions.length, orphans, details };
}

async function shutdown() {
  await Promise.all(bots.map(b => stop(b)));
  await stopAzurite();
  connector.close();
  proxy.close();
  if (!process.env.SOAK_KEEP) fs.rmSync(WORK, { recursive: true, force: true });
  else log(`logs kept in ${WORK}`);
}

process.on('SIGINT', async () => { await shutdown(); process.exit(130); });
main().then(async code => { await shutdown(); process.exit(code); }, async e => { log('failed: ' + (e.stack || e)); process.env.SOAK_KEEP = '1'; await shutdown(); process.exit(2); });
