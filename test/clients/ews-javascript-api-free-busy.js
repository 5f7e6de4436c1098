#!/usr/bin/env node
// Drives the relay with ews-javascript-api (npm), a real EWS client, and prints what it parsed.
// Usage: TZ=<iana zone> node ews-javascript-api-free-busy.js <ews-url> <token> <start> <end> <view> <addr>...
//   <start>/<end>: local times "YYYY-MM-DDTHH:mm:ss" in the process zone; <view>: FreeBusy,
//   FreeBusyMerged, Detailed, DetailedMerged.
// The library fixes the process time zone at first use, so each zone runs in its own process.
'use strict';
const ews = require('ews-javascript-api');

async function main() {
  const [url, token, start, end, view, ...addresses] = process.argv.slice(2);
  const service = new ews.ExchangeService(ews.ExchangeVersion.Exchange2013);
  service.Url = new ews.Uri(url);
  service.Credentials = new ews.OAuthCredentials(token);

  const attendees = addresses.map(
    (a) => new ews.AttendeeInfo(a, ews.MeetingAttendeeType.Required, false),
  );
  const window = new ews.TimeWindow(ews.DateTime.Parse(start), ews.DateTime.Parse(end));
  const options = new ews.AvailabilityOptions();
  options.RequestedFreeBusyView = ews.FreeBusyViewType[view];
  options.MergedFreeBusyInterval = 60;

  const results = await service.GetUserAvailability(
    attendees,
    window,
    ews.AvailabilityData.FreeBusy,
    options,
  );
  const out = [];
  for (const r of results.AttendeesAvailability.Responses) {
    if (r.ErrorCode !== ews.ServiceError.NoError) {
      out.push({ error: ews.ServiceError[r.ErrorCode], message: r.ErrorMessage });
      continue;
    }
    out.push({
      viewType: ews.FreeBusyViewType[r.ViewType],
      merged: (r.MergedFreeBusyStatus || []).map((s) => ews.LegacyFreeBusyStatus[s]).join(','),
      events: (r.CalendarEvents || []).map((e) => ({
        start: e.StartTime.Format('YYYY-MM-DDTHH:mm:ss'),
        end: e.EndTime.Format('YYYY-MM-DDTHH:mm:ss'),
        freeBusyStatus: ews.LegacyFreeBusyStatus[e.FreeBusyStatus],
        subject: e.Details ? e.Details.Subject : null,
        isPrivate: e.Details ? e.Details.IsPrivate : null,
      })),
      workingHours: r.WorkingHours
        ? {
            startMinutes:
              r.WorkingHours.StartTime && r.WorkingHours.StartTime.TotalMinutes
                ? r.WorkingHours.StartTime.TotalMinutes
                : null,
            days: (r.WorkingHours.DaysOfTheWeek || []).map((d) => ews.DayOfTheWeek[d]),
          }
        : null,
    });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(
    `ews-javascript-api client failed: ${error && (error.stack || error.message || error)}\n`,
  );
  process.exit(1);
});
