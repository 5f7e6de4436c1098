import { Injectable, Logger } from '@nestjs/common';
import { AvailabilityProvider, lookUpRoomLists, RoomDirectory } from '@app/availability';
import { RelayConfigStore } from '@app/config';
import type { RequestContext } from '@app/request-context';
import { policyForRequest } from '../caller-policy';
import { auditedRoomLookup, roomListSettingsOf } from '../rooms/audited-room-lookup';
import { renderRoomLists } from '../rooms/room-directory-response';
import type { SoapRequest } from '../soap/soap-request';

/**
 * GetRoomLists (docs/protocol.md section 9): every room list the caller may see, of every
 * tenant in its view, through the request's mailbox policy (the AvailabilityProvider's routes,
 * so a list is routed as its rooms' free/busy is). Google's "book Exchange rooms" starts here.
 */
@Injectable()
export class GetRoomListsOperation {
  private readonly logger = new Logger('RoomDirectory');

  constructor(
    private readonly provider: AvailabilityProvider,
    private readonly directory: RoomDirectory,
    private readonly config: RelayConfigStore,
  ) {}

  answer(soap: SoapRequest, context: RequestContext): Promise<string> {
    return auditedRoomLookup(
      this.logger,
      this.directory.name,
      'GetRoomLists',
      soap,
      context,
      async (facts) => {
        const config = this.config.current();
        const found = await lookUpRoomLists(
          this.directory,
          policyForRequest(this.provider.routes(), config, soap.header, context.caller),
          roomListSettingsOf(config),
          context.requestId,
        );
        for (const { tenant, error } of found.failedTenants) {
          this.logger.error({
            msg: 'room lists failed for a tenant; the others were answered',
            requestId: context.requestId,
            directory: this.directory.name,
            tenant,
            error: error.message,
          });
        }
        facts.tenants = found.tenants;
        facts.failedTenants = found.failedTenants.map((f) => f.tenant);
        facts.answered = found.lists.length;
        return renderRoomLists(found.lists);
      },
    );
  }
}
