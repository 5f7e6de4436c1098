export { EwsModule } from './ews.module';
export { EwsFault } from './ews-fault';
export { EWS_PATHS, isEwsRoute } from './ews-routes';
