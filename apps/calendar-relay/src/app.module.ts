import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from '@app/auth';
import { listenerConfig, RelayConfigModule } from '@app/config';
import { EwsModule } from '@app/ews';
import { HealthModule } from '@app/health';
import { MetricsModule } from '@app/metrics';
import { TracingModule } from '@app/tracing';
import { AvailabilityBindingModule } from './availability-binding.module';
import { loggerOptions } from './logger.options';

@Module({
  imports: [
    RelayConfigModule,
    MetricsModule,
    TracingModule,
    LoggerModule.forRootAsync({
      inject: [listenerConfig.KEY],
      useFactory: (listener: ConfigType<typeof listenerConfig>) => loggerOptions(listener),
    }),
    AvailabilityBindingModule,
    AuthModule,
    EwsModule,
    HealthModule,
  ],
})
export class AppModule {}
