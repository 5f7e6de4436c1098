import { Injectable, Logger } from '@nestjs/common';
import { AvailabilityProvider, lookUpRooms, RoomDirectory } from '@app/availability';
import { RelayConfigStore } from '@app/config';
import type { RequestContext } from '@app/request-context';
import { policyForRequest } from '../caller-policy';
import { auditedRoomLookup, roomListSettingsOf } from '../rooms/audited-room-lookup';
import { parseGetRoomsRequest } from '../rooms/parse-get-rooms-request';
import { renderRooms, renderUnknownRoomList } from '../rooms/room-directory-response';
import type { SoapRequest } from '../soap/soap-request';

/**
 * GetRooms (docs/protocol.md section 9): the rooms of the list the request names, as far as
 * the caller may see them; a list it may not see, or one the directory does not have, gets
 * Exchange's ErrorNameResolutionNoResults answer.
 */
@Injectable()
export class GetRoomsOperation {
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
      'GetRooms',
      soap,
      context,
      async (facts) => {
        const listAddress = parseGetRoomsRequest(soap.operation);
        facts.listAddress = listAddress;
        const config = this.config.current();
        const found = await lookUpRooms(
          this.directory,
          policyForRequest(this.provider.routes(), config, soap.header, context.caller),
          roomListSettingsOf(config),
          listAddress,
          context.requestId,
        );
        if (found.tenant !== undefined) facts.tenants = [found.tenant];
        if (found.kind === 'unknownList') {
          facts.unknownList = true;
          return renderUnknownRoomList();
        }
        facts.answered = found.rooms.length;
        return renderRooms(found.rooms);
      },
    );
  }
}
