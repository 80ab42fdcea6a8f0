// The official MCP SDK Client against the real taskflow binary, over
// Streamable HTTP and over stdio: lists the tools and drives a task's whole
// life, checking every structuredContent against the tool's outputSchema.
// Run by sdk_client.sh (which starts the server and sets the environment).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(process.env.MCP_NODE_MODULES + '/');
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');
const Ajv = require('ajv/dist/2020.js');
const addFormats = require('ajv-formats');

const { BASE, TOKEN, TASKFLOW, DB_URL, SECRET } = process.env;
const TOOLS = ['add_task', 'list_tasks', 'get_task', 'update_task', 'complete_task',
  'reopen_task', 'delete_task', 'list_tags', 'set_reminder'];

function httpTransport() {
  return new StreamableHTTPClientTransport(new URL(BASE + '/mcp'), {
    requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
  });
}

function stdioTransport() {
  return new StdioClientTransport({
    command: TASKFLOW,
    args: ['mcp', '--user', 'mcp@example.com', '--database-url', DB_URL, '--auth-secret', SECRET],
    stderr: 'pipe',
  });
}

// Calls a tool and checks its result: structuredContent valid against the
// tool's outputSchema (and mirrored as text) unless it is an error.
async function call(client, validators, name, args) {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) return result;
  const validate = validators.get(name);
  assert.ok(result.structuredContent, `${name} returned no structuredContent`);
  assert.ok(validate(result.structuredContent),
    `${name}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(result.structuredContent)}`);
  assert.deepEqual(JSON.parse(result.content[0].text), result.structuredContent);
  return result;
}

async function taskLife(client) {
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), [...TOOLS].sort());
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = new Map();
  for (const tool of tools) {
    assert.ok(tool.description, `${tool.name} has a description`);
    assert.equal(tool.inputSchema.type, 'object');
    assert.equal(tool.outputSchema.type, 'object');
    assert.equal(typeof tool.annotations.readOnlyHint, 'boolean');
    validators.set(tool.name, ajv.compile(tool.outputSchema));
  }
  const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
  assert.equal(byName.list_tasks.annotations.readOnlyHint, true);
  assert.equal(byName.delete_task.annotations.destructiveHint, true);
  assert.equal(byName.complete_task.annotations.idempotentHint, true);

  const tag = `sdk${Math.floor(Math.random() * 1e9)}`;
  const created = await call(client, validators, 'add_task', {
    title: 'Write the report', priority: 'P2', due_at: '2030-03-01T09:00:00Z', tags: [tag],
  });
  const task = created.structuredContent;
  assert.equal(task.title, 'Write the report');
  assert.equal(task.status, 'pending');
  assert.deepEqual(task.tags, [tag]);

  const quick = await call(client, validators, 'add_task', { text: `Call mom tomorrow at 6pm #${tag} p1` });
  assert.equal(quick.structuredContent.title, 'Call mom');
  assert.equal(quick.structuredContent.priority, 'P1');
  assert.ok(quick.structuredContent.due_at);

  const got = await call(client, validators, 'get_task', { id: task.id });
  assert.deepEqual(got.structuredContent, task);

  const listed = await call(client, validators, 'list_tasks', { tag: [tag], sort_by: 'priority', sort_order: 'desc' });
  assert.equal(listed.structuredContent.total, 2);
  assert.deepEqual(listed.structuredContent.tasks.map((t) => t.priority), ['P1', 'P2']);

  const updated = await call(client, validators, 'update_task', {
    id: task.id, title: 'Write the final report', expected_version: task.version,
  });
  assert.equal(updated.structuredContent.title, 'Write the final report');
  assert.equal(updated.structuredContent.version, task.version + 1);

  const stale = await call(client, validators, 'update_task', { id: task.id, title: 'x', expected_version: task.version });
  assert.equal(stale.isError, true);
  assert.match(stale.content[0].text, /get_task/);

  const reminded = await call(client, validators, 'set_reminder', { id: task.id, before_minutes: 30 });
  assert.equal(reminded.structuredContent.reminders.length, 1);
  assert.equal(reminded.structuredContent.reminders[0].before_minutes, 30);
  const again = await call(client, validators, 'set_reminder', { id: task.id, before_minutes: 30 });
  assert.equal(again.structuredContent.reminders.length, 1, 'the same reminder is not added twice');

  const completed = await call(client, validators, 'complete_task', { id: task.id });
  assert.equal(completed.structuredContent.status, 'completed');
  assert.ok(completed.structuredContent.completed_at);
  const reopened = await call(client, validators, 'reopen_task', { id: task.id });
  assert.equal(reopened.structuredContent.status, 'pending');

  const tags = await call(client, validators, 'list_tags', {});
  assert.equal(tags.structuredContent.tags.find((t) => t.name === tag).task_count, 2);

  const resource = await client.readResource({ uri: `task://${task.id}` });
  assert.equal(JSON.parse(resource.contents[0].text).id, task.id);
  const { resources } = await client.listResources();
  assert.deepEqual(resources.map((r) => r.uri).sort(), ['tasks://overdue', 'tasks://today', 'tasks://upcoming']);
  const { resourceTemplates } = await client.listResourceTemplates();
  assert.equal(resourceTemplates[0].uriTemplate, 'task://{id}');
  const today = JSON.parse((await client.readResource({ uri: 'tasks://today' })).contents[0].text);
  assert.equal(today.view, 'today');
  const upcoming = JSON.parse((await client.readResource({ uri: 'tasks://upcoming' })).contents[0].text);
  assert.ok(upcoming.tasks.some((t) => t.id === quick.structuredContent.id), 'tomorrow is upcoming');
  const plan = await client.getPrompt({ name: 'plan-my-day', arguments: { focus: 'deep work' } });
  assert.match(plan.messages[0].content.text, /Call mom/);
  assert.match(plan.messages[0].content.text, /deep work/);
  const review = await client.getPrompt({ name: 'weekly-review' });
  assert.match(review.messages[0].content.text, /Completed in the last 7 days/);

  const deleted = await call(client, validators, 'delete_task', { id: task.id });
  assert.deepEqual(deleted.structuredContent, { id: task.id, deleted: true });
  const gone = await client.callTool({ name: 'get_task', arguments: { id: task.id } });
  assert.equal(gone.isError, true);
  assert.match(gone.content[0].text, /list_tasks/);
  await call(client, validators, 'delete_task', { id: quick.structuredContent.id });

  // Bad arguments are tool errors a model can act on, not protocol errors.
  const empty = await client.callTool({ name: 'add_task', arguments: {} });
  assert.equal(empty.isError, true);
  assert.match(empty.content[0].text, /title/);
  const badDate = await client.callTool({ name: 'add_task', arguments: { title: 'x', due_at: 'someday' } });
  assert.equal(badDate.isError, true);
  assert.match(badDate.content[0].text, /due_at/);
  const unknown = await client.callTool({ name: 'list_tasks', arguments: { colour: 'red' } });
  assert.equal(unknown.isError, true);
  assert.match(unknown.content[0].text, /colour/);
  const notId = await client.callTool({ name: 'complete_task', arguments: { id: 'the dentist' } });
  assert.equal(notId.isError, true);
  await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }), /unknown tool/i);
  await client.ping();
  await client.setLoggingLevel('info');
}

test('Streamable HTTP: a task from creation to deletion', async () => {
  const client = new Client({ name: 'taskflow-sdk-test', version: '1.0.0' });
  const transport = httpTransport();
  await client.connect(transport);
  assert.equal(client.getServerVersion().name, 'taskflow');
  assert.ok(transport.sessionId);
  await taskLife(client);
  await transport.terminateSession();
  await client.close();
});

test('stdio: a task from creation to deletion', async () => {
  const client = new Client({ name: 'taskflow-sdk-test', version: '1.0.0' });
  const transport = stdioTransport();
  let stderr = '';
  transport.stderr.on('data', (chunk) => { stderr += chunk; });
  let transportError = null;
  client.onerror = (error) => { transportError = error; };
  await client.connect(transport);
  await taskLife(client);
  await client.close();
  assert.equal(transportError, null, 'stdout carried only MCP messages');
  assert.match(stderr, /serving MCP on stdio/, 'logs go to stderr');
  assert.doesNotMatch(stderr, /AddressSanitizer|LeakSanitizer|runtime error/);
});

// ---- The HTTP transport's rules, with plain fetch ----

const ACCEPT = 'application/json, text/event-stream';
const init = (id = 1) => JSON.stringify({
  jsonrpc: '2.0', id, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fetch', version: '1' } },
});
const post = (headers, body) => fetch(BASE + '/mcp', {
  method: 'POST', headers: { 'Content-Type': 'application/json', Accept: ACCEPT, ...headers }, body,
});
const auth = { Authorization: `Bearer ${TOKEN}` };

async function openSession() {
  const response = await post({ ...auth, Accept: 'application/json' }, init());
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.result.protocolVersion, '2025-06-18');
  return response.headers.get('mcp-session-id');
}

test('HTTP: 401 with WWW-Authenticate without or with a bad token', async () => {
  for (const headers of [{}, { Authorization: 'Bearer not.a.token' }, { Authorization: 'Basic abc' }]) {
    const response = await post(headers, init());
    assert.equal(response.status, 401);
    const challenge = response.headers.get('www-authenticate');
    assert.match(challenge, /^Bearer realm="taskflow"/);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)[1];
    assert.equal(metadataUrl, `${BASE}/.well-known/oauth-protected-resource/mcp`);
    const metadata = await (await fetch(metadataUrl)).json();
    assert.deepEqual(metadata, { resource: `${BASE}/mcp`, bearer_methods_supported: ['header'], resource_name: 'Taskflow' });
  }
  const evil = await fetch(`${BASE}/.well-known/oauth-protected-resource`, { headers: { Origin: 'http://evil.example.com' } });
  assert.equal(evil.status, 403);
});

test('HTTP: Host and Origin must be local (DNS rebinding)', async () => {
  const evilOrigin = await post({ ...auth, Origin: 'http://evil.example.com' }, init());
  assert.equal(evilOrigin.status, 403);
  const nullOrigin = await post({ ...auth, Origin: 'null' }, init());
  assert.equal(nullOrigin.status, 403);
  const localOrigin = await post({ ...auth, Origin: 'http://localhost:3000' }, init());
  assert.equal(localOrigin.status, 200);
});

test('HTTP: sessions, protocol versions, notifications and errors', async () => {
  const session = await openSession();
  assert.match(session, /^[0-9a-f]{32}$/);
  const headers = { ...auth, 'MCP-Session-Id': session, 'MCP-Protocol-Version': '2025-06-18' };
  const notified = await post(headers, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  assert.equal(notified.status, 202);
  assert.equal(await notified.text(), '');

  const ping = await post({ ...headers, Accept: 'application/json' }, JSON.stringify({ jsonrpc: '2.0', id: 'p', method: 'ping' }));
  assert.deepEqual(await ping.json(), { jsonrpc: '2.0', id: 'p', result: {} });

  const sse = await post(headers, JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }));
  assert.equal(sse.headers.get('content-type'), 'text/event-stream');
  assert.match(await sse.text(), /^event: message\ndata: \{"jsonrpc":"2.0","id":7,"result":\{"tools"/);

  const badVersion = await post({ ...headers, 'MCP-Protocol-Version': '1999-01-01' }, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
  assert.equal(badVersion.status, 400);
  for (const version of ['2025-11-25', '2025-03-26']) {
    const ok = await post({ ...headers, Accept: 'application/json', 'MCP-Protocol-Version': version }, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
    assert.equal(ok.status, 200);
  }
  const noSession = await post(auth, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
  assert.equal(noSession.status, 400);
  const unknownSession = await post({ ...auth, 'MCP-Session-Id': 'f'.repeat(32) }, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
  assert.equal(unknownSession.status, 404);

  const parseError = await post({ ...headers, Accept: 'application/json' }, '{not json');
  assert.equal(parseError.status, 400);
  assert.equal((await parseError.json()).error.code, -32700);
  const unknownMethod = await post({ ...headers, Accept: 'application/json' }, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tasks/frobnicate' }));
  assert.equal((await unknownMethod.json()).error.code, -32601);
  const badLevel = await post({ ...headers, Accept: 'application/json' }, JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'logging/setLevel', params: { level: 'loud' } }));
  assert.equal((await badLevel.json()).error.code, -32602);
  const badJsonRpc = await post({ ...headers, Accept: 'application/json' }, JSON.stringify({ jsonrpc: '1.0', id: 5, method: 'ping' }));
  assert.equal((await badJsonRpc.json()).error.code, -32600);
  const missingResource = await post({ ...headers, Accept: 'application/json' }, JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'resources/read', params: { uri: 'task://01900000-0000-7000-8000-000000000000' } }));
  assert.equal((await missingResource.json()).error.code, -32002);
  const wrongType = await post({ ...headers, 'Content-Type': 'text/plain' }, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
  assert.equal(wrongType.status, 415);

  // Another user cannot use this session.
  const other = await fetch(BASE + '/api/auth/signup', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: `other${Date.now()}@example.com`, password: 'correct horse battery' }),
  });
  const otherToken = (await other.json()).token;
  const stolen = await post({ Authorization: `Bearer ${otherToken}`, 'MCP-Session-Id': session }, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
  assert.equal(stolen.status, 404);

  const deleted = await fetch(BASE + '/mcp', { method: 'DELETE', headers });
  assert.equal(deleted.status, 204);
  const after = await post(headers, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
  assert.equal(after.status, 404);
  const deletedAgain = await fetch(BASE + '/mcp', { method: 'DELETE', headers });
  assert.equal(deletedAgain.status, 404);
});

test('HTTP: a GET stream stays open, streams, and ends with its session', async () => {
  const session = await openSession();
  const headers = { ...auth, 'MCP-Session-Id': session };
  const notAcceptable = await fetch(BASE + '/mcp', { headers: { ...headers, Accept: 'application/json' } });
  assert.equal(notAcceptable.status, 406);
  const response = await fetch(BASE + '/mcp', { headers: { ...headers, Accept: 'text/event-stream' } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/event-stream');
  assert.equal(response.headers.get('transfer-encoding'), 'chunked');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const first = await reader.read();
  assert.equal(first.value, ': stream open\n\n');
  // Still open: ending the session ends the stream.
  const deleted = await fetch(BASE + '/mcp', { method: 'DELETE', headers });
  assert.equal(deleted.status, 204);
  let rest = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += value;
  }
  assert.equal(rest, '');
});

test('stdio: an unknown user or no user is refused, with nothing on stdout', async () => {
  const { spawnSync } = await import('node:child_process');
  const common = ['--database-url', DB_URL, '--auth-secret', SECRET];
  const unknown = spawnSync(TASKFLOW, ['mcp', '--user', 'nobody@example.com', ...common], { input: '' });
  assert.equal(unknown.status, 1);
  assert.equal(unknown.stdout.toString(), '');
  assert.match(unknown.stderr.toString(), /no user with id or email/);
  const badToken = spawnSync(TASKFLOW, ['mcp', '--token', 'not.a.jwt', ...common], { input: '' });
  assert.equal(badToken.status, 1);
  assert.equal(badToken.stdout.toString(), '');
  const none = spawnSync(TASKFLOW, ['mcp', ...common], { input: '', env: { ...process.env, TASKFLOW_MCP_TOKEN: '' } });
  assert.equal(none.status, 2);
  assert.equal(none.stdout.toString(), '');
  // By token: the same user as --user.
  const byToken = spawnSync(TASKFLOW, ['mcp', '--token', TOKEN, ...common], {
    input: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_tags"}}\n',
  });
  assert.equal(byToken.status, 0);
  const answer = JSON.parse(byToken.stdout.toString().trim());
  assert.equal(answer.result.isError, false);
});
