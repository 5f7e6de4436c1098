import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { HttpAnswer, KeepAliveHttpsTransport } from './keep-alive-https-transport';

/**
 * Where the last middleware of the Graph SDK's chain leaves the answer for the caller. A
 * middleware option is the SDK's own way to carry per-request state through its chain
 * (`GraphRequest.middlewareOptions([...])`, read back with
 * `context.middlewareControl.getMiddlewareOptions(Class)`), so the body goes from the transport to
 * the caller in memory, as read, without passing through a WHATWG Response.
 */
export class GraphAnswerSink implements MiddlewareOptions {
  answer?: HttpAnswer;
}

/**
 * The SDK's HTTP message handler (the last middleware), on the relay's keep-alive node:https
 * transport instead of the global fetch: a GET (places) or a POST with a body (getSchedule) (keep-alive-https-transport.ts says why). Its errors
 * already say what happened (ECONNREFUSED, an untrusted certificate); the SDK keeps that text in
 * GraphError's body.
 */
export class KeepAliveTransportHandler implements Middleware {
  constructor(private readonly transport: KeepAliveHttpsTransport) {}

  async execute(context: Context): Promise<void> {
    // The SDK types the request as the DOM's RequestInfo, which Node's types do not declare;
    // for the calls the relay makes it is the URL string.
    const url: unknown = context.request;
    if (typeof url !== 'string') {
      throw new TypeError('The Graph transport takes requests by URL string only.');
    }
    const options = context.options ?? {};
    const signal = options.signal ?? undefined;
    let answer: HttpAnswer;
    if ((options.method ?? 'GET').toUpperCase() === 'GET') {
      answer = await this.transport.get(url, { headers: options.headers, signal });
    } else {
      const body = options.body;
      if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
        throw new TypeError('Only string and byte bodies are supported by the Graph transport.');
      }
      answer = await this.transport.post(url, { headers: options.headers, body, signal });
    }
    const sink = context.middlewareControl?.getMiddlewareOptions(GraphAnswerSink);
    if (sink instanceof GraphAnswerSink) sink.answer = answer;
    // The chain expects a Response on the context; its body stays in the sink.
    context.response = new Response(null, {
      status: answer.status >= 200 && answer.status <= 599 ? answer.status : 502,
    });
  }
}
