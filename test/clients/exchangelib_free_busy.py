"""Drives the relay with exchangelib, a real EWS client, and prints what it parsed as JSON.

Usage: python3 exchangelib_free_busy.py <ews-url> <access-token> <tz> <start> <end> <view> <addr>...
  <tz> an IANA zone (the client's zone), <start>/<end> local dates "YYYY-MM-DDTHH:MM".

exchangelib first calls GetServerTimeZones to learn the zone's rules, then sends
GetUserAvailability with the body TimeZone, a TimeZoneContext header and offsets on the times
(see docs/protocol.md section 7). Everything here is exchangelib's own parsing of the relay's
answers.
"""
import datetime
import json
import sys

from exchangelib import DELEGATE, Account, Configuration, OAuth2AuthorizationCodeCredentials
from exchangelib.ewsdatetime import EWSDateTime, EWSTimeZone
from exchangelib.protocol import BaseProtocol
from exchangelib.transport import OAUTH2
from exchangelib.version import EXCHANGE_2016, Build, Version


def main():
    url, token, tz_name, start, end, view, *addresses = sys.argv[1:]
    tz = EWSTimeZone(tz_name)
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
    account = Account(
        primary_smtp_address=addresses[0],
        config=config,
        autodiscover=False,
        access_type=DELEGATE,
        default_timezone=tz,
    )
    start_dt = EWSDateTime.from_datetime(datetime.datetime.fromisoformat(start)).replace(tzinfo=tz)
    end_dt = EWSDateTime.from_datetime(datetime.datetime.fromisoformat(end)).replace(tzinfo=tz)
    accounts = [(Account(primary_smtp_address=a, config=config, autodiscover=False, access_type=DELEGATE, default_timezone=tz), "Required", False) for a in addresses]
    results = []
    for info in account.protocol.get_free_busy_info(
        accounts=accounts,
        start=start_dt,
        end=end_dt,
        merged_free_busy_interval=60,
        requested_view=view,
    ):
        if isinstance(info, Exception):
            results.append({"error": type(info).__name__, "message": str(info)})
            continue
        results.append(
            {
                "view_type": info.view_type,
                "merged": info.merged,
                "events": [
                    {
                        "start": e.start.astimezone(tz).isoformat(),
                        "end": e.end.astimezone(tz).isoformat(),
                        "busy_type": e.busy_type,
                        "subject": e.details.subject if e.details else None,
                        "is_private": e.details.is_private if e.details else None,
                    }
                    for e in (info.calendar_events or [])
                ],
                "working_hours": [
                    {"weekdays": list(p.weekdays), "start": str(p.start), "end": str(p.end)}
                    for p in (info.working_hours or [])
                ],
            }
        )
    print(json.dumps(results))
    BaseProtocol.close_connections() if hasattr(BaseProtocol, "close_connections") else None


if __name__ == "__main__":
    main()
