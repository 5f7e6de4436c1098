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
import { RelayTracing } from '@app/tracing';
import { EwsFault } from './ews-fault';
import { rememberRequestedVersion } from './ews-exchange-state';
import { EwsFaultFilter, SOAP_CONTENT_TYPE } from './ews-fault.filter';
import { MESSAGES_NS } from './ews-namespaces';
import { GetUserAvailabilityOperation } from './operations/get-user-availability.operation';
import { answerGetServerTimeZones } from './operations/get-server-time-zones';
import { renderEnvelope } from './soap/render-envelope';
import { readSoapRequest } from './soap/soap-request';
import { parseXmlDocument, XmlDocumentError } from './xml/parse-xml-document';

/**
 * The EWS endpoint. Google uses whatever URL the admin typed (the earlier relay served `/`);
 * other clients use /EWS/Exchange.asmx in any letter case (routes are case-insensitive).
 */
@Controller()
@UseGuards(BearerTokenGuard)
@UseFilters(EwsFaultFilter)
export class EwsController {
  private readonly logger = new Logger('EwsController');

  constructor(
    private readonly availability: GetUserAvailabilityOperation,
    @Optional() private readonly metrics?: RelayMetrics,
    @Optional() private readonly tracing?: RelayTracing,
  ) {}

  @Post(['/', '/EWS/Exchange.asmx'])
  @HttpCode(200)
  @Header('Content-Type', SOAP_CONTENT_TYPE)
  async handle(@Body() body: unknown, @Req() request: FastifyRequest): Promise<Buffer> {
    // The request's span (if tracing is on) is the parent of the Graph calls made for it.
    const xml = await (this.tracing
      ? this.tracing.withinRequest(request, () => this.answer(body, request))
      : this.answer(body, request));
    // Encoded once here: handed a string, Fastify measures its UTF-8 length for Content-Length
    // and the socket then encodes it again (two passes over up to megabytes of XML).
    return Buffer.from(xml, 'utf8');
  }

  private async answer(body: unknown, request: FastifyRequest): Promise<string> {
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
    rememberRequestedVersion(request, soap.requestedVersion);

    const operation = soap.operation.ns === MESSAGES_NS ? soap.operation.local : '';
    switch (operation) {
      case 'GetUserAvailabilityRequest':
        return renderEnvelope(await this.availability.answer(soap, request), soap.requestedVersion);
      case 'GetServerTimeZones':
        this.metrics?.noteEwsOperation(request, 'GetServerTimeZones');
        this.tracing?.nameOperation(request, 'GetServerTimeZones');
        return renderEnvelope(
          answerGetServerTimeZones(soap.operation, new Date()),
          soap.requestedVersion,
        );
      default: {
        // This log line is how operations Google (or another client) needs get discovered.
        const name = `{${soap.operation.ns}}${soap.operation.local}`;
        this.logger.warn({
          msg: 'unsupported EWS operation',
          operation: name,
          requestId: request.id,
        });
        throw new EwsFault(
          'ErrorInvalidOperation',
          `The operation ${soap.operation.local} is not supported by this server.`,
        );
      }
    }
  }
}
