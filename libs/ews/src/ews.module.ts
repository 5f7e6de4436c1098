import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { EwsController } from './ews.controller';
import { GetRoomListsOperation } from './operations/get-room-lists.operation';
import { GetRoomsOperation } from './operations/get-rooms.operation';
import { GetUserAvailabilityOperation } from './operations/get-user-availability.operation';

/**
 * The EWS SOAP endpoint. Depends on the AvailabilityProvider and RoomDirectory ports (bound by
 * the app) and on the auth module's bearer guard; knows nothing of Microsoft Graph.
 */
@Module({
  imports: [AuthModule],
  controllers: [EwsController],
  providers: [GetUserAvailabilityOperation, GetRoomListsOperation, GetRoomsOperation],
})
export class EwsModule {}
