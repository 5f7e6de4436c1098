"""Drives the relay's room directory with exchangelib, a real EWS client, and prints what it parsed as JSON.

Usage: python3 exchangelib_rooms.py <ews-url> <access-token> <list-address>...

Calls protocol.get_roomlists(), then protocol.get_rooms() for each list it returned and for each
<list-address> given (an unknown one is printed as the exception exchangelib raised). Everything
here is exchangelib's own parsing of the relay's answers.
"""
import json
import sys

from exchangelib import DELEGATE, Account, Configuration, OAuth2AuthorizationCodeCredentials
from exchangelib.transport import OAUTH2
from exchangelib.version import Build, Version


def rooms_of(protocol, address):
    try:
        return [
            {"name": r.name, "email_address": r.email_address, "mailbox_type": r.mailbox_type}
            for r in protocol.get_rooms(address)
        ]
    except Exception as error:  # the relay's error answer, as exchangelib raises it
        return {"error": type(error).__name__, "message": str(error)}


def main():
    url, token, *extra_lists = sys.argv[1:]
    credentials = OAuth2AuthorizationCodeCredentials(
        access_token={"access_token": token, "token_type": "Bearer", "expires_in": 3600}
    )
    config = Configuration(
        service_endpoint=url,
        credentials=credentials,
        auth_type=OAUTH2,
        version=Version(build=Build(15, 20)),
        max_connections=2,
    )
    # An account only to reach the protocol: no call is made for it.
    protocol = Account(
        primary_smtp_address="interop@contoso.com",
        config=config,
        autodiscover=False,
        access_type=DELEGATE,
    ).protocol
    lists = [
        {"name": l.name, "email_address": l.email_address, "mailbox_type": l.mailbox_type}
        for l in protocol.get_roomlists()
    ]
    rooms = {l["email_address"]: rooms_of(protocol, l["email_address"]) for l in lists}
    for address in extra_lists:
        rooms[address] = rooms_of(protocol, address)
    print(json.dumps({"room_lists": lists, "rooms": rooms}))


if __name__ == "__main__":
    main()
