/**
 * Thrown when the relay's configuration is missing or malformed. Each problem names the key
 * and what is expected, and never echoes a value (it may be a secret).
 */
export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
  }
}
