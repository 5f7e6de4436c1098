import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { EwsController } from './ews.controller';
import { GetUserAvailabilityOperation } from './operations/get-user-availability.operation';

/**
 * The EWS SOAP endpoint. Depends on the AvailabilityProvider port (bound by the app) and on the
 * auth module's bearer guard; knows nothing of Microsoft Graph.
 */
@Module({
  imports: [AuthModule],
  controllers: [EwsController],
  providers: [GetUserAvailabilityOperation],
})
export class EwsModule {}
