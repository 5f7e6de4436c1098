/** The part of autocannon's API the benchmark uses (the package ships no types). */
declare module 'autocannon' {
  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;
  /** With a callback: the running instance, an event emitter. */
  function autocannon(
    options: autocannon.Options,
    callback: (error: unknown, result: autocannon.Result) => void,
  ): autocannon.Instance;
  namespace autocannon {
    interface Instance {
      /** Each response: the connection's client object, status, bytes, latency in ms. */
      on(
        event: 'response',
        listener: (client: object, status: number, bytes: number, responseTimeMs: number) => void,
      ): Instance;
      on(event: 'done', listener: (result: Result) => void): Instance;
    }
    interface Histogram {
      readonly average: number;
      readonly p50: number;
      readonly p99: number;
      readonly max: number;
    }
    interface Options {
      url: string;
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      connections?: number;
      amount?: number;
      duration?: number;
      timeout?: number;
      overallRate?: number;
      verifyBody?: (body: string) => boolean;
      requests?: RequestSpec[];
    }
    interface RequestSpec {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      /** Called before each request; returns the request to send. */
      setupRequest?: (request: RequestSpec) => RequestSpec;
    }
    interface Result {
      readonly requests: Histogram;
      readonly latency: Histogram;
      readonly throughput: Histogram;
      readonly duration: number;
      readonly errors: number;
      readonly timeouts: number;
      readonly mismatches: number;
      readonly non2xx: number;
      readonly '2xx': number;
    }
  }
  export = autocannon;
}
