import { Module } from '@nestjs/common';
import { GraphAvailabilityProvider } from './graph-availability.provider';

/**
 * The Microsoft Graph availability provider. Needs RelayConfigStore (global, from
 * RelayConfigModule). The app binds the AvailabilityProvider port to GraphAvailabilityProvider
 * when a tenant is configured; nothing here contacts Entra or Graph before the first lookup or
 * readiness check, so importing the module without a tenant is harmless.
 */
@Module({
  providers: [GraphAvailabilityProvider],
  exports: [GraphAvailabilityProvider],
})
export class GraphModule {}
