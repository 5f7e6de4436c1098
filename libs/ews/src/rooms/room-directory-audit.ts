import { domainOf } from '@app/availability';
import type { RelayCaller, RequestContext } from '@app/request-context';

export interface RoomDirectoryAuditFacts {
  readonly operation: 'GetRoomLists' | 'GetRooms';
  readonly context: Pick<RequestContext, 'requestId' | 'clientIp'> & {
    readonly caller?: Pick<RelayCaller, 'clientId' | 'tokenId'>;
  };
  readonly roleAccount?: string;
  readonly directory: string;
  /** GetRooms: the list asked for. */
  readonly listAddress?: string;
  readonly tenants?: readonly string[];
  readonly failedTenants?: readonly string[];
  /** Lists (GetRoomLists) or rooms (GetRooms) answered. */
  readonly answered?: number;
  /** GetRooms of a list unknown to the caller (ErrorNameResolutionNoResults). */
  readonly unknownList?: boolean;
  readonly faultCode?: string;
  readonly latencyMs: number;
}

/**
 * The one line per room directory request, as the availability audit line is for lookups: who
 * asked, the list's domain (never an address), what came of it, how long it took.
 */
export function roomDirectoryAuditRecord(facts: RoomDirectoryAuditFacts): Record<string, unknown> {
  return {
    msg: 'room directory lookup',
    operation: facts.operation,
    requestId: facts.context.requestId,
    result:
      facts.faultCode !== undefined
        ? 'fault'
        : facts.unknownList === true
          ? 'unknownList'
          : 'answered',
    ...(facts.faultCode !== undefined ? { faultCode: facts.faultCode } : {}),
    caller: facts.context.caller?.clientId,
    tokenId: facts.context.caller?.tokenId,
    roleAccount: facts.roleAccount,
    clientIp: facts.context.clientIp,
    ...(facts.listAddress !== undefined
      ? { listDomain: domainOf(facts.listAddress)?.slice(0, 253) ?? '(not an address)' }
      : {}),
    ...(facts.tenants !== undefined ? { tenants: facts.tenants } : {}),
    ...(facts.failedTenants !== undefined && facts.failedTenants.length > 0
      ? { failedTenants: facts.failedTenants }
      : {}),
    ...(facts.answered !== undefined
      ? { [facts.operation === 'GetRoomLists' ? 'lists' : 'rooms']: facts.answered }
      : {}),
    directory: facts.directory,
    latencyMs: facts.latencyMs,
  };
}
