export { EwsModule } from './ews.module';
export { EwsFault } from './ews-fault';
