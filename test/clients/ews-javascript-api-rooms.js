#!/usr/bin/env node
// Drives the relay's room directory with ews-javascript-api (npm), a real EWS client, and prints
// what it parsed: GetRoomLists, then GetRooms for each list and for each <list-address> given (an
// unknown one is printed as the error the library raised).
// Usage: node ews-javascript-api-rooms.js <ews-url> <token> <list-address>...
'use strict';
const ews = require('ews-javascript-api');

const entry = (address) => ({
  name: address.Name,
  address: address.Address,
  mailboxType: ews.MailboxType[address.MailboxType],
});

async function roomsOf(service, address) {
  try {
    const rooms = await service.GetRooms(new ews.EmailAddress(address));
    return rooms.map(entry);
  } catch (error) {
    return {
      error: error.ErrorCode !== undefined ? ews.ServiceError[error.ErrorCode] : String(error),
      message: error.message,
    };
  }
}

async function main() {
  const [url, token, ...extraLists] = process.argv.slice(2);
  const service = new ews.ExchangeService(ews.ExchangeVersion.Exchange2010_SP1);
  service.Url = new ews.Uri(url);
  service.Credentials = new ews.OAuthCredentials(token);

  const lists = await service.GetRoomLists();
  const out = { roomLists: lists.GetEnumerator().map(entry), rooms: {} };
  for (const list of out.roomLists) out.rooms[list.address] = await roomsOf(service, list.address);
  for (const address of extraLists) out.rooms[address] = await roomsOf(service, address);
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(
    `ews-javascript-api client failed: ${error && (error.stack || error.message || error)}\n`,
  );
  process.exit(1);
});
