import {
  Body,
  Controller,
  Header,
  HttpCode,
  Logger,
  Optional,
  Post,
  Req,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { BearerTokenGuard } from '@app/auth';
import { RelayMetrics } from '@app/metrics';
import { requestContextOf, runInRequestContext, type RequestContext } from '@app/request-context';
import { EwsFault } from './ews-fault';
import { EwsFaultFilter, SOAP_CONTENT_TYPE } from './ews-fault.filter';
import { MESSAGES_NS } from './ews-namespaces';
import { ewsOperationLabel } from './ews-operation-names';
import { EWS_PATHS } from './ews-routes';
import { GetRoomListsOperation } from './operations/get-room-lists.operation';
import { GetRoomsOperation } from './operations/get-rooms.operation';
import { GetUserAvailabilityOperation } from './operations/get-user-availability.operation';
import { answerGetServerTimeZones } from './operations/get-server-time-zones';
import { renderEnvelope } from './soap/render-envelope';
import { readSoapRequest } from './soap/soap-request';
import { parseXmlDocument, XmlDocumentError } from './xml/parse-xml-document';

/** The EWS endpoint, on the paths of ews-routes.ts. */
@Controller()
@UseGuards(BearerTokenGuard)
@UseFilters(EwsFaultFilter)
export class EwsController {
  private readonly logger = new Logger('EwsController');

  constructor(
    private readonly availability: GetUserAvailabilityOperation,
    private readonly roomLists: GetRoomListsOperation,
    private readonly rooms: GetRoomsOperation,
    @Optional() private readonly metrics?: RelayMetrics,
  ) {}

  @Post([...EWS_PATHS])
  @HttpCode(200)
  @Header('Content-Type', SOAP_CONTENT_TYPE)
  async handle(@Body() body: unknown, @Req() request: FastifyRequest): Promise<Buffer> {
    // The lookup runs as the request's own: the Graph client starts its spans under the
    // request's span (if tracing is on) without the request in hand.
    const context = requestContextOf(request);
    const xml = await runInRequestContext(context, () => this.answer(body, context));
    // Encoded once here: handed a string, Fastify measures its UTF-8 length for Content-Length
    // and the socket then encodes it again (two passes over up to megabytes of XML).
    return Buffer.from(xml, 'utf8');
  }

  private async answer(body: unknown, context: RequestContext): Promise<string> {
    if (!Buffer.isBuffer(body) && typeof body !== 'string') {
      throw new EwsFault('ErrorSchemaValidation', 'The request body is not a SOAP XML document.');
    }
    let root;
    try {
      root = await parseXmlDocument(body);
    } catch (error) {
      if (error instanceof XmlDocumentError)
        throw new EwsFault('ErrorSchemaValidation', error.message);
      throw error;
    }
    const soap = readSoapRequest(root);
    context.requestedVersion = soap.requestedVersion;

    const operation = soap.operation.ns === MESSAGES_NS ? soap.operation.local : '';
    switch (operation) {
      case 'GetUserAvailabilityRequest':
        context.operation = 'GetUserAvailability';
        return renderEnvelope(await this.availability.answer(soap, context), soap.requestedVersion);
      case 'GetServerTimeZones':
        context.operation = 'GetServerTimeZones';
        return renderEnvelope(
          answerGetServerTimeZones(soap.operation, new Date()),
          soap.requestedVersion,
        );
      case 'GetRoomLists':
        context.operation = 'GetRoomLists';
        return renderEnvelope(await this.roomLists.answer(soap, context), soap.requestedVersion);
      case 'GetRooms':
        context.operation = 'GetRooms';
        return renderEnvelope(await this.rooms.answer(soap, context), soap.requestedVersion);
      default: {
        // This log line and the metric are how operations Google (or another client) needs get
        // discovered: the log names the element as sent, the metric a bounded label.
        const name = `{${soap.operation.ns}}${soap.operation.local}`;
        const label = ewsOperationLabel(soap.operation.ns, soap.operation.local);
        this.metrics?.ewsOperationUnsupported(label);
        this.logger.warn({
          msg: 'unsupported EWS operation',
          operation: name,
          label,
          requestId: context.requestId,
        });
        throw new EwsFault(
          'ErrorInvalidOperation',
          `The operation ${soap.operation.local} is not supported by this server.`,
        );
      }
    }
  }
}
