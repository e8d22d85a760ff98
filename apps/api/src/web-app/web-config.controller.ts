import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '@tre/auth';
import { APP_CONFIG, AUTH_MODES, type AppConfig } from '@tre/core';

export class WebOidcConfigDto {
  @ApiProperty() issuer!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() scope!: string;
}

export class WebConfigDto {
  @ApiProperty({ enum: AUTH_MODES }) authMode!: (typeof AUTH_MODES)[number];
  @ApiProperty({ type: WebOidcConfigDto, nullable: true }) oidc!: WebOidcConfigDto | null;
}

/** What the web app needs to know before anyone signs in: how sign-in works here. */
@ApiTags('web app')
@Controller('web-config')
export class WebConfigController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: WebConfigDto })
  webConfig(): WebConfigDto {
    return {
      authMode: this.config.authMode,
      oidc:
        this.config.authMode === 'oidc'
          ? {
              issuer: this.config.oidcIssuer,
              clientId: this.config.webOidcClientId,
              scope: this.config.webOidcScope,
            }
          : null,
    };
  }
}
