import { Module } from '@nestjs/common';
import { GraphAvailabilityProvider } from './graph-availability.provider';
import { GraphRoomDirectory } from './graph-room-directory';

/**
 * The Microsoft Graph availability provider and room directory. Needs RelayConfigStore (global, from
 * RelayConfigModule). The app binds the AvailabilityProvider port to GraphAvailabilityProvider
 * when a tenant is configured; nothing here contacts Entra or Graph before the first lookup or
 * readiness check, so importing the module without a tenant is harmless.
 */
@Module({
  providers: [GraphAvailabilityProvider, GraphRoomDirectory],
  exports: [GraphAvailabilityProvider, GraphRoomDirectory],
})
export class GraphModule {}
