export { GraphModule } from './graph.module';
export { GraphAvailabilityProvider } from './graph-availability.provider';
export { GraphRoomDirectory } from './graph-room-directory';
export { GraphScheduleClient } from './transport/graph-schedule.client';
export { GRAPH_LIMITS } from './graph-limits';
export { placesAvailableAt } from './entra/graph-cloud';
