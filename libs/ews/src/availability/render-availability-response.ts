import type {
  BusyStatus,
  CalendarEvent,
  MailboxAvailability,
  MailboxFailureReason,
  WorkingHours,
} from '@app/availability';
import { ERRORS_NS } from '../ews-namespaces';
import {
  formatLocalDateTime,
  serializableTimeZoneFor,
  type RequesterZone,
  type SerializableTimeChange,
  type SerializableTimeZone,
} from '../time-zones';
import { escapeXmlText } from '../xml/xml-escape';
import type { AvailabilityRequest } from './availability-request';
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
 * Element placement and namespaces follow protocol.md section 5 exactly: m:FreeBusyView is in
 * the messages namespace, everything inside it in the types namespace (the .NET client checks).
 */
export function renderAvailabilityResponse(
  request: AvailabilityRequest,
  results: readonly MailboxAvailability[],
  policy: RenderPolicy,
): string {
  let xml = '<m:GetUserAvailabilityResponse>';
  if (request.freeBusyRequested) {
    xml += '<m:FreeBusyResponseArray>';
    const view = effectiveView(request.requestedView, policy.detailsAllowed);
    for (const result of results) {
      xml +=
        result.outcome === 'ok'
          ? renderSuccess(result.events, result.workingHours, request, view, policy)
          : renderMailboxError(result.address, result.reason, result.message);
    }
    xml += '</m:FreeBusyResponseArray>';
  }
  if (request.suggestionsRequested) {
    // The relay computes no meeting suggestions, but the .NET client and ews-javascript-api
    // dereference SuggestionsResponse whenever they asked for it, so an error answer is required.
    xml +=
      '<m:SuggestionsResponse><m:ResponseMessage ResponseClass="Error">' +
      '<m:MessageText>Meeting suggestions are not supported by this server.</m:MessageText>' +
      '<m:ResponseCode>ErrorMeetingSuggestionGenerationFailed</m:ResponseCode>' +
      '<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>' +
      '</m:ResponseMessage></m:SuggestionsResponse>';
  }
  return xml + '</m:GetUserAvailabilityResponse>';
}

function renderSuccess(
  events: readonly CalendarEvent[],
  workingHours: WorkingHours | undefined,
  request: AvailabilityRequest,
  view: RequestedView,
  policy: RenderPolicy,
): string {
  let xml =
    '<m:FreeBusyResponse><m:ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode></m:ResponseMessage>' +
    `<m:FreeBusyView><t:FreeBusyViewType>${view}</t:FreeBusyViewType>`;
  if (view !== 'None') {
    if (viewIncludesMerged(view)) {
      xml += `<t:MergedFreeBusy>${computeMergedFreeBusy(events, request.window, request.intervalMinutes)}</t:MergedFreeBusy>`;
    }
    if (viewIncludesEvents(view)) {
      xml += renderEvents(
        events,
        request.zone,
        view === 'Detailed' || view === 'DetailedMerged',
        policy,
      );
    }
    if (workingHours !== undefined) {
      xml += renderWorkingHours(workingHours, new Date(request.window.startMs).getUTCFullYear());
    }
  }
  return xml + '</m:FreeBusyView></m:FreeBusyResponse>';
}

function busyType(status: BusyStatus, policy: RenderPolicy): BusyStatus {
  return status === 'WorkingElsewhere' && !policy.workingElsewhere ? 'Free' : status;
}

function renderEvents(
  events: readonly CalendarEvent[],
  zone: RequesterZone,
  withDetails: boolean,
  policy: RenderPolicy,
): string {
  // Free time is not a calendar event worth sending (Exchange omits it too).
  const shown = events.filter((e) => e.status !== 'Free');
  if (shown.length === 0) return '';
  let xml = '<t:CalendarEventArray>';
  for (const event of shown) {
    xml +=
      '<t:CalendarEvent>' +
      `<t:StartTime>${formatLocalDateTime(zone.toLocal(event.startMs))}</t:StartTime>` +
      `<t:EndTime>${formatLocalDateTime(zone.toLocal(event.endMs))}</t:EndTime>` +
      `<t:BusyType>${busyType(event.status, policy)}</t:BusyType>`;
    if (withDetails && event.details !== undefined) {
      const d = event.details;
      xml += '<t:CalendarEventDetails>';
      // Never an ID, subject or location of a private item (protocol.md section 5).
      if (!d.isPrivate) {
        if (d.id !== undefined) xml += `<t:ID>${escapeXmlText(d.id)}</t:ID>`;
        if (d.subject !== undefined) xml += `<t:Subject>${escapeXmlText(d.subject)}</t:Subject>`;
        if (d.location !== undefined)
          xml += `<t:Location>${escapeXmlText(d.location)}</t:Location>`;
      }
      xml +=
        `<t:IsMeeting>${d.isMeeting}</t:IsMeeting>` +
        `<t:IsRecurring>${d.isRecurring}</t:IsRecurring>` +
        `<t:IsException>${d.isException}</t:IsException>` +
        `<t:IsReminderSet>${d.isReminderSet}</t:IsReminderSet>` +
        `<t:IsPrivate>${d.isPrivate}</t:IsPrivate>` +
        '</t:CalendarEventDetails>';
    }
    xml += '</t:CalendarEvent>';
  }
  return xml + '</t:CalendarEventArray>';
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

interface MailboxErrorShape {
  readonly code: string;
  /** MessageXml exception details, as Exchange sends them for an unknown recipient. */
  readonly exception?: { readonly type: string; readonly code: number };
}

const MAILBOX_ERRORS: Record<MailboxFailureReason, MailboxErrorShape> = {
  // The only per-mailbox code exchangelib tolerates, and what Google shows as "Invalid attendee".
  recipientNotFound: {
    code: 'ErrorMailRecipientNotFound',
    exception: {
      type: 'Microsoft.Exchange.InfoWorker.Common.Availability.MailRecipientNotFoundException',
      code: 5009,
    },
  },
  accessDenied: { code: 'ErrorNoFreeBusyAccess' },
  generationFailed: { code: 'ErrorFreeBusyGenerationFailed' },
  timeout: { code: 'ErrorProxyRequestProcessingFailed' },
};

/** The per-mailbox error text Exchange uses for an address it cannot resolve. */
export function recipientNotFoundMessage(address: string): string {
  return `Unable to resolve e-mail address ${address} to an Active Directory object.`;
}

function renderMailboxError(
  address: string,
  reason: MailboxFailureReason,
  message: string,
): string {
  const shape = MAILBOX_ERRORS[reason];
  const text = reason === 'recipientNotFound' ? recipientNotFoundMessage(address) : message;
  const messageXml =
    shape.exception === undefined
      ? ''
      : `<m:MessageXml><e:ExceptionType xmlns:e="${ERRORS_NS}">${shape.exception.type}</e:ExceptionType>` +
        `<e:ExceptionCode xmlns:e="${ERRORS_NS}">${shape.exception.code}</e:ExceptionCode></m:MessageXml>`;
  return (
    '<m:FreeBusyResponse><m:ResponseMessage ResponseClass="Error">' +
    `<m:MessageText>${escapeXmlText(text)}</m:MessageText>` +
    `<m:ResponseCode>${shape.code}</m:ResponseCode>` +
    '<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>' +
    messageXml +
    '</m:ResponseMessage>' +
    '<m:FreeBusyView><t:FreeBusyViewType>None</t:FreeBusyViewType></m:FreeBusyView>' +
    '</m:FreeBusyResponse>'
  );
}
