import { registerAs } from '@nestjs/config';
import { parseRelayConfig } from './relay-config.schema';

/**
 * The typed configuration namespace. Inject with
 * `@Inject(relayConfig.KEY) config: ConfigType<typeof relayConfig>`.
 * ConfigModule has merged the .env file into process.env before this factory runs.
 */
export const relayConfig = registerAs('relay', () => parseRelayConfig(process.env));
