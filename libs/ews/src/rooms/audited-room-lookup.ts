import type { LoggerService } from '@nestjs/common';
import { AvailabilityError, type RoomListSettings } from '@app/availability';
import type { RelayConfig } from '@app/config';
import type { RequestContext } from '@app/request-context';
import { EwsFault } from '../ews-fault';
import { impersonatedAccount } from '../soap/impersonated-account';
import type { SoapRequest } from '../soap/soap-request';
import { roomDirectoryAuditRecord, type RoomDirectoryAuditFacts } from './room-directory-audit';
import { faultForRoomDirectoryError } from './room-directory-fault';

/** What an operation learns while it answers, for its log line. */
export type RoomLookupFacts = {
  -readonly [K in keyof RoomDirectoryAuditFacts]?: RoomDirectoryAuditFacts[K];
};

/**
 * Runs one room directory operation: the port's errors become faults (room-directory-fault.ts),
 * and one log line is written whatever the ending.
 */
export async function auditedRoomLookup(
  logger: Pick<LoggerService, 'log' | 'error'>,
  directory: string,
  operation: RoomDirectoryAuditFacts['operation'],
  soap: SoapRequest,
  context: RequestContext,
  answer: (facts: RoomLookupFacts) => Promise<string>,
): Promise<string> {
  const started = process.hrtime.bigint();
  const facts: RoomLookupFacts = {};
  try {
    return await answer(facts);
  } catch (error) {
    let fault = error;
    if (error instanceof AvailabilityError) {
      logger.error({
        msg: 'room directory lookup failed',
        requestId: context.requestId,
        directory,
        error: error.message,
      });
      fault = faultForRoomDirectoryError(error);
    }
    facts.faultCode = fault instanceof EwsFault ? fault.responseCode : 'ErrorInternalServerError';
    throw fault;
  } finally {
    logger.log(
      roomDirectoryAuditRecord({
        ...facts,
        operation,
        context,
        roleAccount: impersonatedAccount(soap.header),
        directory,
        latencyMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      }),
    );
  }
}

/** The room lists of the configuration (ALL_ROOMS_LIST_*, ROOM_LISTS), as the lookup takes them. */
export function roomListSettingsOf(config: RelayConfig): RoomListSettings {
  return {
    ...(config.rooms.allRoomsList !== undefined ? { allRoomsList: config.rooms.allRoomsList } : {}),
    configuredLists: config.rooms.configuredLists,
  };
}
