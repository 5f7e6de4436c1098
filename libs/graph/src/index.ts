export { GraphModule } from './graph.module';
export { GraphAvailabilityProvider } from './graph-availability.provider';
export { GraphScheduleClient } from './transport/graph-schedule.client';
export { GRAPH_LIMITS } from './graph-limits';
