import { Module } from '@nestjs/common';
import { AccessTokenService } from './access-token.service';
import { BearerTokenGuard } from './bearer-token.guard';
import { TokenAttempts } from './token-attempts.service';
import { TokenController } from './token.controller';

/**
 * `POST /token` and the bearer guard. Modules whose routes need a token import AuthModule and
 * put `@UseGuards(BearerTokenGuard)` on them. Needs RelayConfigStore (global, RelayConfigModule).
 */
@Module({
  controllers: [TokenController],
  providers: [AccessTokenService, BearerTokenGuard, TokenAttempts],
  exports: [AccessTokenService, BearerTokenGuard],
})
export class AuthModule {}
