import type {
  BusyStatus,
  CalendarEvent,
  EventDetails,
  MailboxAvailability,
  MailboxFailureReason,
  WorkingHours,
} from '@app/availability';
import {
  formatLocalDateTime,
  serializableTimeZoneFor,
  type RequesterZone,
  type SerializableTimeChange,
  type SerializableTimeZone,
} from '@app/time-zones';
import { ERRORS_NS } from '../ews-namespaces';
import { escapeXmlText } from '../xml/xml-escape';
import type { AvailabilityRequest } from './availability-request';
import { MAILBOX_FAILURES } from './mailbox-failures';
import { computeMergedFreeBusy } from './merged-free-busy';
import {
  effectiveView,
  viewIncludesEvents,
  viewIncludesMerged,
  type RequestedView,
} from './requested-view';

export interface RenderPolicy {
  /** The relay's policy allows subject/location for this request's Detailed views. */
  readonly detailsAllowed: boolean;
  /** The client understands BusyType WorkingElsewhere (Exchange2013 and later). */
  readonly workingElsewhere: boolean;
}

/**
 * The m:GetUserAvailabilityResponse element (the SOAP body content): one FreeBusyResponse per
 * requested mailbox in request order, and a SuggestionsResponse when suggestions were asked for.
 * Element placement and namespaces follow docs/protocol.md section 5 exactly: m:FreeBusyView is in
 * the messages namespace, everything inside it in the types namespace (the .NET client checks).
 */
export function renderAvailabilityResponse(
  request: AvailabilityRequest,
  results: readonly MailboxAvailability[],
  policy: RenderPolicy,
): string {
  // Built as a list of pieces joined once: a 100-mailbox, 42-day answer is ~10 MB in ~10^6
  // pieces, and `+=` on one string makes V8 build (then flatten) a rope of that many nodes,
  // which cost more CPU than everything else in rendering put together.
  const out: string[] = ['<m:GetUserAvailabilityResponse>'];
  if (request.freeBusyRequested) {
    out.push('<m:FreeBusyResponseArray>');
    const view = effectiveView(request.requestedView, policy.detailsAllowed);
    const workingHoursYear = new Date(request.window.startMs).getUTCFullYear();
    const localTimes = new LocalTimeTexts(request.zone);
    for (const result of results) {
      if (result.outcome === 'ok') {
        renderSuccess(
          out,
          result.events,
          result.workingHours,
          request,
          view,
          policy,
          workingHoursYear,
          localTimes,
        );
      } else {
        out.push(renderMailboxError(result.address, result.reason, result.detail));
      }
    }
    out.push('</m:FreeBusyResponseArray>');
  }
  if (request.suggestionsRequested) {
    // The relay computes no meeting suggestions, but the .NET client and ews-javascript-api
    // dereference SuggestionsResponse whenever they asked for it, so an error answer is required.
    out.push(
      '<m:SuggestionsResponse><m:ResponseMessage ResponseClass="Error">' +
        '<m:MessageText>Meeting suggestions are not supported by this server.</m:MessageText>' +
        '<m:ResponseCode>ErrorMeetingSuggestionGenerationFailed</m:ResponseCode>' +
        '<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>' +
        '</m:ResponseMessage></m:SuggestionsResponse>',
    );
  }
  out.push('</m:GetUserAvailabilityResponse>');
  return out.join('');
}

function renderSuccess(
  out: string[],
  events: readonly CalendarEvent[],
  workingHours: WorkingHours | undefined,
  request: AvailabilityRequest,
  view: RequestedView,
  policy: RenderPolicy,
  workingHoursYear: number,
  localTimes: LocalTimeTexts,
): void {
  out.push(
    '<m:FreeBusyResponse><m:ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode></m:ResponseMessage>' +
      `<m:FreeBusyView><t:FreeBusyViewType>${view}</t:FreeBusyViewType>`,
  );
  if (view !== 'None') {
    if (viewIncludesMerged(view)) {
      out.push(
        '<t:MergedFreeBusy>',
        computeMergedFreeBusy(events, request.window, request.intervalMinutes),
        '</t:MergedFreeBusy>',
      );
    }
    if (viewIncludesEvents(view)) {
      renderEvents(
        out,
        events,
        localTimes,
        view === 'Detailed' || view === 'DetailedMerged',
        policy,
      );
    }
    if (workingHours !== undefined) {
      out.push(renderWorkingHours(workingHours, workingHoursYear));
    }
  }
  out.push('</m:FreeBusyView></m:FreeBusyResponse>');
}

function busyType(status: BusyStatus, policy: RenderPolicy): BusyStatus {
  return status === 'WorkingElsewhere' && !policy.workingElsewhere ? 'Free' : status;
}

function renderEvents(
  out: string[],
  events: readonly CalendarEvent[],
  localTimes: LocalTimeTexts,
  withDetails: boolean,
  policy: RenderPolicy,
): void {
  // Free time is not a calendar event worth sending (Exchange omits it too).
  // One template per event appended to one string: measured faster than many small pieces
  // joined (a 100 x 42 answer holds ~25k events).
  let xml = '';
  for (const event of events) {
    if (event.status === 'Free') continue;
    const start = localTimes.textOf(event.startMs);
    const end = localTimes.textOf(event.endMs);
    const details =
      withDetails && event.details !== undefined ? renderEventDetails(event.details) : '';
    xml += `<t:CalendarEvent><t:StartTime>${start}</t:StartTime><t:EndTime>${end}</t:EndTime><t:BusyType>${busyType(event.status, policy)}</t:BusyType>${details}</t:CalendarEvent>`;
  }
  if (xml !== '') out.push('<t:CalendarEventArray>', xml, '</t:CalendarEventArray>');
}

/**
 * Event times in the requester's zone, each instant converted once per response: calendars
 * sit on a 15- or 30-minute grid, so a 100-mailbox, 42-day answer has ~50k event times but
 * only a few thousand distinct instants.
 */
class LocalTimeTexts {
  private readonly texts = new Map<number, string>();

  constructor(private readonly zone: RequesterZone) {}

  textOf(utcMs: number): string {
    let text = this.texts.get(utcMs);
    if (text === undefined) {
      text = formatLocalDateTime(this.zone.toLocal(utcMs));
      this.texts.set(utcMs, text);
    }
    return text;
  }
}

function renderEventDetails(d: EventDetails): string {
  // Never an ID, subject or location of a private item (docs/protocol.md section 5).
  const id = !d.isPrivate && d.id !== undefined ? `<t:ID>${escapeXmlText(d.id)}</t:ID>` : '';
  const subject =
    !d.isPrivate && d.subject !== undefined
      ? `<t:Subject>${escapeXmlText(d.subject)}</t:Subject>`
      : '';
  const location =
    !d.isPrivate && d.location !== undefined
      ? `<t:Location>${escapeXmlText(d.location)}</t:Location>`
      : '';
  return `<t:CalendarEventDetails>${id}${subject}${location}<t:IsMeeting>${d.isMeeting}</t:IsMeeting><t:IsRecurring>${d.isRecurring}</t:IsRecurring><t:IsException>${d.isException}</t:IsException><t:IsReminderSet>${d.isReminderSet}</t:IsReminderSet><t:IsPrivate>${d.isPrivate}</t:IsPrivate></t:CalendarEventDetails>`;
}

function hhmmss(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;
}

function renderTimeChange(
  local: 'StandardTime' | 'DaylightTime',
  change: SerializableTimeChange,
): string {
  return (
    `<t:${local}>` +
    `<t:Bias>${change.bias}</t:Bias>` +
    `<t:Time>${hhmmss(change.timeMinutes)}</t:Time>` +
    `<t:DayOrder>${change.dayOrder}</t:DayOrder>` +
    `<t:Month>${change.month}</t:Month>` +
    `<t:DayOfWeek>${change.dayOfWeek}</t:DayOfWeek>` +
    (change.year === undefined ? '' : `<t:Year>${change.year}</t:Year>`) +
    `</t:${local}>`
  );
}

export function renderSerializableTimeZone(zone: SerializableTimeZone): string {
  return (
    '<t:TimeZone>' +
    `<t:Bias>${zone.bias}</t:Bias>` +
    renderTimeChange('StandardTime', zone.standardTime) +
    renderTimeChange('DaylightTime', zone.daylightTime) +
    '</t:TimeZone>'
  );
}

function workingHoursZone(hours: WorkingHours, year: number): SerializableTimeZone | undefined {
  const zone = hours.zone;
  if (zone.kind === 'named') return serializableTimeZoneFor(zone.name, year);
  return {
    bias: zone.bias,
    standardTime: { ...zone.standard },
    daylightTime: { ...zone.daylight },
  };
}

/**
 * Working hours in the owner's zone (not converted). Omitted, rather than sent with an empty
 * WorkingPeriodArray, when there are no working days or the zone is unknown: the .NET client
 * indexes WorkingPeriodArray[0].
 */
function renderWorkingHours(hours: WorkingHours, year: number): string {
  if (hours.daysOfWeek.length === 0) return '';
  const zone = workingHoursZone(hours, year);
  if (zone === undefined) return '';
  return (
    '<t:WorkingHours>' +
    renderSerializableTimeZone(zone) +
    '<t:WorkingPeriodArray><t:WorkingPeriod>' +
    `<t:DayOfWeek>${hours.daysOfWeek.join(' ')}</t:DayOfWeek>` +
    `<t:StartTimeInMinutes>${hours.startMinutes}</t:StartTimeInMinutes>` +
    `<t:EndTimeInMinutes>${hours.endMinutes}</t:EndTimeInMinutes>` +
    '</t:WorkingPeriod></t:WorkingPeriodArray>' +
    '</t:WorkingHours>'
  );
}

function renderMailboxError(
  address: string,
  reason: MailboxFailureReason,
  detail: string | undefined,
): string {
  const shape = MAILBOX_FAILURES[reason];
  const text = shape.text(address, detail);
  const messageXml =
    shape.exception === undefined
      ? ''
      : `<m:MessageXml><e:ExceptionType xmlns:e="${ERRORS_NS}">${shape.exception.type}</e:ExceptionType>` +
        `<e:ExceptionCode xmlns:e="${ERRORS_NS}">${shape.exception.code}</e:ExceptionCode></m:MessageXml>`;
  return (
    '<m:FreeBusyResponse><m:ResponseMessage ResponseClass="Error">' +
    `<m:MessageText>${escapeXmlText(text)}</m:MessageText>` +
    `<m:ResponseCode>${shape.responseCode}</m:ResponseCode>` +
    '<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>' +
    messageXml +
    '</m:ResponseMessage>' +
    '<m:FreeBusyView><t:FreeBusyViewType>None</t:FreeBusyViewType></m:FreeBusyView>' +
    '</m:FreeBusyResponse>'
  );
}
