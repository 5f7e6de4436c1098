import './supported-node';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigurationError, listenerConfig, loadDotEnv } from '@app/config';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';
import { createFastifyAdapter } from './fastify-adapter.factory';

async function bootstrap(): Promise<void> {
  // The one read of ./.env (values already in the environment win); everything after reads
  // process.env. The listener settings are needed before the Nest container exists.
  loadDotEnv(process.env);
  const listener = listenerConfig();
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    createFastifyAdapter(listener),
    { bufferLogs: true, autoFlushLogs: false, abortOnError: false },
  );
  configureApp(app);
  await app.listen({ port: listener.port, host: listener.host });
}

bootstrap().catch((error: unknown) => {
  // One clear line for a configuration mistake; a stack trace only for the unexpected.
  if (error instanceof ConfigurationError) {
    process.stderr.write(`calendar-relay: refusing to start: ${error.message}\n`);
  } else {
    process.stderr.write(
      `calendar-relay: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
