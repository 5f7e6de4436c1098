import { Global, Logger, Module } from '@nestjs/common';
import { AvailabilityProvider, RoomDirectory } from '@app/availability';
import { RelayConfigStore } from '@app/config';
import { DemoAvailabilityProvider, DemoRoomDirectory } from '@app/demo';
import { GraphAvailabilityProvider, GraphModule, GraphRoomDirectory } from '@app/graph';

/**
 * Binds the AvailabilityProvider port for the whole app: Microsoft Graph when a tenant is
 * configured, otherwise the built-in demo calendars (announced loudly, so nobody mistakes them
 * for real free/busy). The RoomDirectory port follows the same choice (Graph places, or the
 * demo's rooms). The EWS and health layers only ever see the ports. The choice is made at
 * start-up: a Vault refresh rotates the Graph secret in place but never switches providers.
 */
@Global()
@Module({
  imports: [GraphModule],
  providers: [
    DemoAvailabilityProvider,
    DemoRoomDirectory,
    {
      provide: RoomDirectory,
      inject: [AvailabilityProvider, GraphRoomDirectory, DemoRoomDirectory],
      useFactory: (
        provider: AvailabilityProvider,
        graph: GraphRoomDirectory,
        demo: DemoRoomDirectory,
      ): RoomDirectory => (provider instanceof GraphAvailabilityProvider ? graph : demo),
    },
    {
      provide: AvailabilityProvider,
      inject: [RelayConfigStore, GraphAvailabilityProvider, DemoAvailabilityProvider],
      useFactory: (
        store: RelayConfigStore,
        graph: GraphAvailabilityProvider,
        demo: DemoAvailabilityProvider,
      ): AvailabilityProvider => {
        const logger = new Logger('AvailabilityProvider');
        const { tenants } = store.current();
        if (tenants.length > 0) {
          logger.log({
            msg: 'answering from Microsoft Graph getSchedule',
            tenants: tenants.map((t) => ({
              tenant: t.name,
              domains: t.domains.length > 0 ? t.domains : 'all',
              graphEndpoint: t.graph.endpoint,
              graphAuthority: t.graph.authority,
            })),
          });
          return graph;
        }
        logger.warn(
          'No Microsoft tenant configured (TENANTS, or GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET, GRAPH_AUTHORITY): serving the DEMO calendars, not real free/busy',
        );
        return demo;
      },
    },
  ],
  exports: [AvailabilityProvider, RoomDirectory],
})
export class AvailabilityBindingModule {}
