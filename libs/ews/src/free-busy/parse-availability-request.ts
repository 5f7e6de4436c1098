import { localDateTimeAsUtcMs, parseXsDateTime, type RequesterZone } from '@app/time-zones';
import { EwsFault } from '../ews-fault';
import { MESSAGES_NS, TYPES_NS } from '../ews-namespaces';
import { childElement, childElements, childText, type XmlElement } from '../xml/xml-element';
import type { AvailabilityRequest } from './availability-request';
import {
  DEFAULT_INTERVAL_MINUTES,
  MAX_INTERVAL_MINUTES,
  MAX_MAILBOXES,
  MAX_WINDOW_DAYS,
  MIN_INTERVAL_MINUTES,
} from './availability-limits';
import { readRequesterZone } from './parse-requester-zone';
import { DEFAULT_REQUESTED_VIEW, isRequestedView, REQUESTED_VIEWS } from './requested-view';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * m:GetUserAvailabilityRequest -> a validated AvailabilityRequest. Everything that would make
 * the request unanswerable is refused here, before any upstream call, with the EWS code
 * Exchange uses (docs/protocol.md section 4). Unknown elements are ignored.
 */
export function parseAvailabilityRequest(
  operation: XmlElement,
  header: XmlElement | undefined,
): AvailabilityRequest {
  const zone = readRequesterZone(childElement(operation, TYPES_NS, 'TimeZone'), header);
  const mailboxes = readMailboxes(operation);

  const options = childElement(operation, TYPES_NS, 'FreeBusyViewOptions');
  const suggestionsRequested =
    childElement(operation, TYPES_NS, 'SuggestionsViewOptions') !== undefined;
  if (options === undefined) {
    if (!suggestionsRequested) {
      throw new EwsFault(
        'ErrorSchemaValidation',
        'The request has neither FreeBusyViewOptions nor SuggestionsViewOptions.',
      );
    }
    // Suggestions only: nothing to look up, the response carries just the SuggestionsResponse.
    return {
      mailboxes,
      window: { startMs: 0, endMs: 0 },
      intervalMinutes: DEFAULT_INTERVAL_MINUTES,
      requestedView: 'None',
      zone,
      freeBusyRequested: false,
      suggestionsRequested,
    };
  }

  const timeWindow = childElement(options, TYPES_NS, 'TimeWindow');
  if (timeWindow === undefined) {
    throw new EwsFault('ErrorSchemaValidation', 'FreeBusyViewOptions has no TimeWindow.');
  }
  const startMs = readInstant(timeWindow, 'StartTime', zone);
  const endMs = readInstant(timeWindow, 'EndTime', zone);
  if (endMs <= startMs) {
    throw new EwsFault('ErrorInvalidTimeInterval', 'EndTime must be later than StartTime.');
  }
  if (endMs - startMs > MAX_WINDOW_DAYS * DAY_MS) {
    throw new EwsFault(
      'ErrorTimeIntervalTooBig',
      `The time window is longer than the ${MAX_WINDOW_DAYS} days allowed.`,
    );
  }

  const intervalMinutes = readInterval(options, endMs - startMs);
  const viewText = childText(options, TYPES_NS, 'RequestedView');
  const requestedView =
    viewText === undefined || viewText === '' ? DEFAULT_REQUESTED_VIEW : viewText;
  if (!isRequestedView(requestedView)) {
    throw new EwsFault(
      'ErrorSchemaValidation',
      `RequestedView "${requestedView}" is not one of ${REQUESTED_VIEWS.join(', ')}.`,
    );
  }

  return {
    mailboxes,
    window: { startMs, endMs },
    intervalMinutes,
    requestedView,
    zone,
    freeBusyRequested: true,
    suggestionsRequested,
  };
}

function readMailboxes(operation: XmlElement): string[] {
  const array = childElement(operation, MESSAGES_NS, 'MailboxDataArray');
  const entries = array === undefined ? [] : childElements(array, TYPES_NS, 'MailboxData');
  if (entries.length === 0) {
    throw new EwsFault('ErrorMailboxDataArrayEmpty', 'MailboxDataArray contains no MailboxData.');
  }
  if (entries.length > MAX_MAILBOXES) {
    throw new EwsFault(
      'ErrorMailboxDataArrayTooBig',
      `MailboxDataArray contains ${entries.length} mailboxes; at most ${MAX_MAILBOXES} are allowed.`,
    );
  }
  return entries.map((entry) => {
    const email = childElement(entry, TYPES_NS, 'Email');
    return email === undefined ? '' : (childText(email, TYPES_NS, 'Address') ?? '');
  });
}

/**
 * A TimeWindow bound as a UTC instant: an explicit offset (`Z`, `+02:00`) wins for that value,
 * a naive time is read in the requester's zone.
 */
function readInstant(
  timeWindow: XmlElement,
  local: 'StartTime' | 'EndTime',
  zone: RequesterZone,
): number {
  const text = childText(timeWindow, TYPES_NS, local);
  if (text === undefined || text === '') {
    throw new EwsFault('ErrorSchemaValidation', `TimeWindow has no ${local}.`);
  }
  const parsed = parseXsDateTime(text);
  if (parsed === undefined) {
    throw new EwsFault('ErrorSchemaValidation', `${local} "${text}" is not a valid xs:dateTime.`);
  }
  return parsed.offsetMinutes === undefined
    ? zone.toUtc(parsed.local)
    : localDateTimeAsUtcMs(parsed.local) - parsed.offsetMinutes * MINUTE_MS;
}

function readInterval(options: XmlElement, windowMs: number): number {
  const text = childText(options, TYPES_NS, 'MergedFreeBusyIntervalInMinutes');
  if (text === undefined || text === '') return DEFAULT_INTERVAL_MINUTES;
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < MIN_INTERVAL_MINUTES || value > MAX_INTERVAL_MINUTES) {
    throw new EwsFault(
      'ErrorInvalidMergedFreeBusyInterval',
      `MergedFreeBusyIntervalInMinutes "${text}" must be between ${MIN_INTERVAL_MINUTES} and ${MAX_INTERVAL_MINUTES}.`,
    );
  }
  if (value * MINUTE_MS > windowMs) {
    throw new EwsFault(
      'ErrorInvalidMergedFreeBusyInterval',
      `MergedFreeBusyIntervalInMinutes ${value} is longer than the time window.`,
    );
  }
  return value;
}
