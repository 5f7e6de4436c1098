#!/usr/bin/env node
// `npm run demo`: builds the relay if needed and starts it on the built-in demo calendars, with
// demo credentials and ready-to-paste curl commands. No Microsoft tenant is used even if one is
// configured in the environment: demo means demo.
'use strict';

// Before anything else: on an older Node.js (a machine's own Node 20, past end of life) one
// line saying what to do, not the stack trace of the first dependency that needs Node 24.
// The same floor as package.json `engines` and apps/calendar-relay/src/supported-node.ts.
const MINIMUM_NODE_MAJOR = 24;
if (Number(process.versions.node.split('.')[0]) < MINIMUM_NODE_MAJOR) {
  console.error(
    `Calendar Relay needs Node.js ${MINIMUM_NODE_MAJOR} or later; this is ${process.version}: run ` +
      '`export PATH="$(bash scripts/install-node.sh)/bin:$PATH"` (installs Node.js 24 into .tools/) and try again',
  );
  process.exit(1);
}

const { spawn, spawnSync } = require('node:child_process');
const { existsSync, statSync, readdirSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist/apps/calendar-relay/apps/calendar-relay/src/main.js');

function newestSourceMtime(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) newest = Math.max(newest, newestSourceMtime(full));
    else if (item.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const stale =
  !existsSync(entry) ||
  Math.max(newestSourceMtime(path.join(root, 'apps')), newestSourceMtime(path.join(root, 'libs'))) >
    statSync(entry).mtimeMs;
if (stale) {
  console.log('Building the relay (npm run build)...');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const port = process.env.PORT || '8080';
const host = process.env.HOST || '127.0.0.1';
const env = {
  ...process.env,
  PORT: port,
  HOST: host,
  GOOGLE_CLIENT_ID: process.env.GOOGLE_CLIENT_ID || 'demo-client',
  GOOGLE_CLIENT_SECRET: process.env.GOOGLE_CLIENT_SECRET || 'demo-secret-change-me',
  EVENT_DETAILS: process.env.EVENT_DETAILS || 'true',
};
for (const key of [
  'GRAPH_CLIENT_ID',
  'GRAPH_CLIENT_SECRET',
  'GRAPH_AUTHORITY',
  'VAULT_ADDR',
  'SECRETS_DIR',
  'TENANTS',
  ...Object.keys(env).filter((k) => k.startsWith('TENANT_')),
]) {
  delete env[key];
}

const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
const monday = new Date();
monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
const day = monday.toISOString().slice(0, 10);
const nextDay = new Date(monday.getTime() + 86400000).toISOString().slice(0, 10);

/** GetUserAvailability for these addresses, this Monday (UTC), in one line for curl --data. */
function availabilityRequest(addresses) {
  const mailboxes = addresses
    .map(
      (address) =>
        `<t:MailboxData><t:Email><t:Address>${address}</t:Address></t:Email><t:AttendeeType>Required</t:AttendeeType></t:MailboxData>`,
    )
    .join('');
  return `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Header><t:RequestServerVersion Version="Exchange2013"/></soap:Header><soap:Body><m:GetUserAvailabilityRequest><m:MailboxDataArray>${mailboxes}</m:MailboxDataArray><t:FreeBusyViewOptions><t:TimeWindow><t:StartTime>${day}T00:00:00Z</t:StartTime><t:EndTime>${nextDay}T00:00:00Z</t:EndTime></t:TimeWindow><t:MergedFreeBusyIntervalInMinutes>60</t:MergedFreeBusyIntervalInMinutes><t:RequestedView>DetailedMerged</t:RequestedView></t:FreeBusyViewOptions></m:GetUserAvailabilityRequest></soap:Body></soap:Envelope>`;
}

const ask = (addresses) =>
  `curl -s ${base}/EWS/Exchange.asmx -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/xml; charset=utf-8' --data '${availabilityRequest(addresses)}'`;

// Two demo tenants (libs/demo: one per sample domain), routed by domain as Microsoft 365
// tenants are (docs/tenants.md).
console.log(`
Calendar Relay demo (sample calendars, no Microsoft tenant)
  EWS URL:        ${base}/EWS/Exchange.asmx   (also ${base}/)
  Token URL:      ${base}/token
  Client id:      ${env.GOOGLE_CLIENT_ID}
  Client secret:  ${env.GOOGLE_CLIENT_SECRET}
  Demo tenants:   contoso (contoso.com): adele.vance@contoso.com, megan.bowen@contoso.com, alex.wilber@contoso.com, ...
                  fabrikam (fabrikam.com): lars.becker@fabrikam.com, jana.richter@fabrikam.com, tobias.wagner@fabrikam.com

Get a token:
  TOKEN=$(curl -s ${base}/token -d client_id=${env.GOOGLE_CLIENT_ID} -d client_secret=${env.GOOGLE_CLIENT_SECRET} | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')

Ask for free/busy (UTC, this Monday):
  ${ask(['adele.vance@contoso.com'])}

Ask both tenants in one request (each mailbox answered by its own tenant, in request order; the log's "availability lookup" line names both):
  ${ask(['adele.vance@contoso.com', 'lars.becker@fabrikam.com'])}

Stop with Ctrl-C.
`);

const child = spawn(process.execPath, [entry], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
