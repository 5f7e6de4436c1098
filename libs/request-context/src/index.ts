export {
  currentRequestContext,
  requestContextOf,
  runInRequestContext,
  type EwsOperation,
  type RelayCaller,
  type RequestContext,
} from './request-context';
