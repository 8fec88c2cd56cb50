// The load benchmark's stand-ins, in one lean process (no dependencies):
//  - a recording connector (Teams' REST API): answers every send/update with a new activity id, counts calls, and
//    remembers which decision each conversation's posted checklist card carries (the generator answers those cards);
//  - a counting proxy in front of Azurite: forwards every storage request unchanged, counts them and times Azurite's
//    answer to each, so the benchmark can print storage requests per turn for whichever bot is under test, and show
//    when storage itself was slow.
// GET /__bench/stats on the connector's port reads the counters (and this process's CPU time, to show it is not the
// bottleneck); GET /__bench/storage-latencies?from=K the storage latencies (ms) from the K-th request timed.
//
// usage: node harness.mjs --connector-port P --proxy-port P --azurite-port P
import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { messageReader } from './http1.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const connectorPort = Number(args['connector-port']);
const proxyPort = Number(args['proxy-port']);
const azuritePort = Number(args['azurite-port']);

const connector = { posts: 0, puts: 0, other: 0, decisions: new Map(), checklist: null };
const storage = { requests: 0, batches: 0, reads: 0, writes: 0, timed: 0 };
// Per storage request: from its last byte leaving for Azurite to the first byte of Azurite's answer (one request at a
// time per connection: HTTP/1.1 without pipelining, as both the .NET and the JavaScript storage clients use it).
const storageLatencies = [];

const stats = () => ({
  connector: { posts: connector.posts, puts: connector.puts, other: connector.other, decisions: connector.decisions.size },
  storage,
  cpuMicros: (({ user, system }) => user + system)(process.cpuUsage()),
});

const json = (res, status, body) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

let nextId = 0;
const decisionIdPattern = /"decisionId"\s*:\s*"([^"]+)"/;

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/__bench/stats') return json(res, 200, stats());
    if (req.url?.startsWith('/__bench/storage-latencies')) {
      return json(res, 200, storageLatencies.slice(Number(new URL(req.url, 'http://harness').searchParams.get('from') ?? 0)));
    }
    if (req.url?.startsWith('/__bench/decisions')) return json(res, 200, Object.fromEntries(connector.decisions));
    if (req.url === '/__bench/checklist') return json(res, connector.checklist ? 200 : 404, connector.checklist ?? {});
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'POST' && req.url.includes('/activities')) {
      connector.posts++;
      // /v3/conversations/{id}/activities: remember the decision on the checklist card posted there.
      const match = decisionIdPattern.exec(body);
      if (match) {
        const conversationId = decodeURIComponent(req.url.split('/')[3]);
        connector.decisions.set(conversationId, match[1]);
        if (!connector.checklist) {
          // The first checklist card the bot posts is what the botbuilder peer sends too (same bytes, its own ids).
          const activity = JSON.parse(body);
          connector.checklist = { decisionId: match[1], card: activity.attachments?.[0]?.content ?? null };
        }
      }
    } else if (req.method === 'PUT') {
      connector.puts++;
    } else {
      connector.other++;
    }
    json(res, 200, { id: `activity-${++nextId}` });
  });
}).listen(connectorPort, '127.0.0.1');

// The counting proxy works at the TCP level: each storage connection gets its own connection to Azurite, the bytes go
// both ways untouched, and the request stream going up is only framed (http1.mjs), to count the requests. With the
// HTTP-level proxy it replaced (parse, re-send, re-parse the answer) this process used 27–29 % of a core at the bot's
// raise rate on a 2-core machine, now 17–19 %, CPU taken from whichever side was being measured.
const countRequest = ({ startLine }) => {
  const [method, url = ''] = startLine.split(' ');
  storage.requests++;
  if (url.includes('$batch')) storage.batches++;
  else if (method === 'GET') storage.reads++;
  else storage.writes++;
};

net.createServer((client) => {
  const azurite = net.connect(azuritePort, '127.0.0.1');
  client.setNoDelay(true);
  azurite.setNoDelay(true);
  let sentAt = null;
  const count = messageReader((message) => {
    countRequest(message);
    sentAt = performance.now();
  }, { keepBody: false });
  client.on('data', (chunk) => {
    count(chunk);
    azurite.write(chunk);
  });
  client.on('end', () => azurite.end());
  azurite.on('data', (chunk) => {
    if (sentAt !== null) {
      storageLatencies.push(performance.now() - sentAt);
      storage.timed++;
      sentAt = null;
    }
    if (!client.write(chunk)) azurite.pause();
  });
  client.on('drain', () => azurite.resume());
  azurite.on('end', () => client.end());
  const close = () => {
    client.destroy();
    azurite.destroy();
  };
  for (const socket of [client, azurite]) {
    socket.on('error', close);
    socket.on('close', close);
  }
}).listen(proxyPort, '127.0.0.1');

process.on('SIGTERM', () => process.exit(0));
