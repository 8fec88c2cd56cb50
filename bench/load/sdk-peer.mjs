// The comparison peer for ./bench.sh load: the same decision check written the way the official Bot Framework SDK for
// JavaScript (botbuilder, CloudAdapter + ActivityHandler) and @azure/data-tables are meant to be used, doing the same
// Table Storage work per turn as the bot and sending the same Adaptive Card. Benchmark-only: nothing in the bot uses it.
//
// Per turn (same kinds of entities as the bot: conversation reference, decision + timeline row + delivery marker, answers):
//  - install (conversationUpdate, bot added): upsert the conversation reference; send a welcome card.
//  - raise ("check ..."): upsert the conversation reference only when this process has not stored it yet; one batch
//    creating decision + timeline row + marker of the activity; send the checklist card; one batch recording the
//    posted card's id on the decision and its timeline row (conditional on the ETag the create returned).
//  - answer (adaptiveCard/action, decision.answer): read the decision; one batch saving the person's answers; read
//    the decision's answers; return the checklist card in the invoke response. Then, off the turn as the bot does,
//    bring the posted card up to date for everyone: read the decision and its answers, update the posted activity.
//
// usage: node sdk-peer.mjs --port P --storage "<connection string>" --harness http://127.0.0.1:P
import http from 'node:http';
import crypto from 'node:crypto';
import { ActivityHandler, CardFactory, CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext } from 'botbuilder';
import { TableClient, odata } from '@azure/data-tables';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const port = Number(args.port);
const tableOptions = { allowInsecureConnection: true };
const conversations = TableClient.fromConnectionString(args.storage, 'SdkPeerConversations', tableOptions);
const decisions = TableClient.fromConnectionString(args.storage, 'SdkPeerDecisions', tableOptions);
await conversations.createTable();
await decisions.createTable();

// The bot's own checklist card, as it posted it in this run (fetched once, at the first raise, after the bot's raises):
// the peer sends the same bytes with its own decision id.
let template = null;
const loadTemplate = async () => {
  template ??= await (async () => {
    const posted = await (await fetch(`${args.harness}/__bench/checklist`)).json();
    return { decisionId: posted.decisionId, text: JSON.stringify(posted.card) };
  })();
};
const cardFor = (decisionId) => JSON.parse(template.text.split(template.decisionId).join(decisionId));
const welcome = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Hello! @mention me with check and a decision.', wrap: true }] };

const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const newId = () => 'D-' + Array.from(crypto.randomBytes(4), (b) => alphabet[b % alphabet.length]).join('');
const escapeKey = (value) => value.replace(/[/\\#?%\u0000-\u001f]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
const maxTicks = 3155378975999999999n; // DateTimeOffset.MaxValue.UtcTicks, as the bot inverts them
const invertedTicks = (date) => (maxTicks - (BigInt(date.getTime()) * 10000n + 621355968000000000n)).toString().padStart(19, '0');
const tenantOf = (activity) => activity.channelData?.tenant?.id ?? activity.conversation?.tenantId ?? 'no-tenant';

const known = new Set();
async function rememberConversation(activity, force) {
  const tenantId = tenantOf(activity);
  const key = `${tenantId}|${activity.conversation.id}`;
  if (!force && known.has(key)) return;
  const reference = TurnContext.getConversationReference(activity);
  await conversations.upsertEntity({
    partitionKey: escapeKey(tenantId),
    rowKey: escapeKey(activity.conversation.id),
    Reference: JSON.stringify(reference),
    ConversationType: activity.conversation.conversationType ?? '',
  }, 'Replace');
  known.add(key);
}

function decisionEntity(partitionKey, rowKey, d) {
  return {
    partitionKey, rowKey,
    Id: d.id, Scope: d.scope, ConversationId: d.conversationId, ConversationType: 'GroupChat', Text: d.text,
    RaisedById: d.by.id, RaisedByName: d.by.name, RaisedByTeamsUserId: d.by.aadObjectId ?? null,
    CreatedAt: d.createdAt, ServiceUrl: d.serviceUrl, Status: 'Open',
  };
}

async function readAnswers(partitionKey, decisionId) {
  const stored = [];
  for await (const entity of decisions.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey} and RowKey ge ${`A|${decisionId}|`} and RowKey lt ${`A|${decisionId}}`}` } })) stored.push(entity);
  return stored;
}

async function updatePostedCard(connector, conversationId, partitionKey, decisionId) {
  const decision = await decisions.getEntity(partitionKey, `D|${decisionId}`);
  await readAnswers(partitionKey, decisionId);
  if (!decision.CardActivityId) return;
  await connector.conversations.updateActivity(conversationId, decision.CardActivityId, {
    type: 'message', id: decision.CardActivityId, attachments: [CardFactory.adaptiveCard(cardFor(decisionId))],
  });
}

class PeerBot extends ActivityHandler {
  constructor() {
    super();
    this.onMembersAdded(async (context, next) => {
      if (context.activity.membersAdded?.some((m) => m.id === context.activity.recipient.id)) {
        await rememberConversation(context.activity, true);
        await context.sendActivity({ attachments: [CardFactory.adaptiveCard(welcome)] });
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      const text = (TurnContext.removeRecipientMention(context.activity) ?? '').trim();
      if (text.toLowerCase().startsWith('check ')) await this.raise(context, text.slice(6).trim());
      else await context.sendActivity('Type help to see what I can do.');
      await next();
    });
  }

  async raise(context, text) {
    await loadTemplate();
    const activity = context.activity;
    await rememberConversation(activity, false);
    const partitionKey = escapeKey(tenantOf(activity));
    const d = { id: newId(), scope: `chat:${activity.conversation.id}`, conversationId: activity.conversation.id, text, by: activity.from, createdAt: new Date(), serviceUrl: activity.serviceUrl };
    const timelineKey = `T|${escapeKey(d.scope)}|${invertedTicks(d.createdAt)}|${d.id}`;
    let created;
    try {
      created = await decisions.submitTransaction([
        ['create', decisionEntity(partitionKey, `D|${d.id}`, d)],
        ['create', decisionEntity(partitionKey, timelineKey, d)],
        ['create', { partitionKey, rowKey: `M|${escapeKey(activity.id)}`, DecisionId: d.id }],
      ]);
    } catch (error) {
      if (error.statusCode === 409) return; // a redelivered activity: already raised
      throw error;
    }
    const sent = await context.sendActivity({ attachments: [CardFactory.adaptiveCard(cardFor(d.id))] });
    await decisions.submitTransaction([
      ['update', { partitionKey, rowKey: `D|${d.id}`, CardActivityId: sent.id }, 'Merge', { etag: created.subResponses[0].etag }],
      ['update', { partitionKey, rowKey: timelineKey, CardActivityId: sent.id }, 'Merge'],
    ]);
  }

  async onAdaptiveCardInvoke(context, invokeValue) {
    const action = invokeValue.action;
    if (action.verb !== 'decision.answer') return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'Unknown verb' } };
    const partitionKey = escapeKey(tenantOf(context.activity));
    const decisionId = action.data.decisionId;
    try {
      await decisions.getEntity(partitionKey, `D|${decisionId}`);
    } catch (error) {
      if (error.statusCode === 404) return { statusCode: 404, type: 'application/vnd.microsoft.error', value: { code: 'NotFound', message: 'That decision was not found.' } };
      throw error;
    }
    const by = context.activity.from;
    const now = new Date();
    const answers = Object.keys(action.data).filter((k) => k.endsWith('.choice') || k.endsWith('.text')).map((k) => k.split('.')[0]);
    await decisions.submitTransaction([...new Set(answers)].map((promptId) => ['upsert', {
      partitionKey,
      rowKey: `A|${decisionId}|${promptId}|${escapeKey(by.id)}`,
      DecisionId: decisionId, PromptId: promptId, ById: by.id, ByName: by.name, ByTeamsUserId: by.aadObjectId ?? null,
      Choices: JSON.stringify((action.data[`${promptId}.choice`] ?? '').split(',').filter(Boolean)),
      Text: action.data[`${promptId}.text`] ?? null, AnsweredAt: now,
    }, 'Replace']));
    await readAnswers(partitionKey, decisionId);
    const connector = context.turnState.get(context.adapter.ConnectorClientKey);
    const conversationId = context.activity.conversation.id;
    setImmediate(() => updatePostedCard(connector, conversationId, partitionKey, decisionId).catch((error) => console.error(`card update failed: ${error}`)));
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: cardFor(decisionId) };
  }
}

// Authentication off (no app id), as the bot runs in the benchmark: the Playground-style local setup of both.
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
adapter.onTurnError = async (context, error) => {
  console.error(`peer turn failed: ${error?.stack ?? error}`);
  throw error;
};
const bot = new PeerBot();

// Node's own http server with the small request/response shape CloudAdapter.process reads (as restify would give it).
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    if (req.url === '/healthz') { res.writeHead(200); res.end('ok'); return; }
    req.body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    let status = 200;
    const response = {
      socket: req.socket,
      status(code) { status = code; return this; },
      header(name, value) { res.setHeader(name, value); return this; },
      send(body) {
        if (body === undefined) { res.writeHead(status); res.end(); return this; }
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(text);
        return this;
      },
      end() { if (!res.writableEnded) { res.writeHead(status); res.end(); } return this; },
    };
    try {
      await adapter.process(req, response, (context) => bot.run(context));
    } catch (error) {
      if (!res.headersSent) { res.writeHead(500); res.end(String(error)); }
    }
  });
}).listen(port, '127.0.0.1');

process.on('SIGTERM', () => process.exit(0));
