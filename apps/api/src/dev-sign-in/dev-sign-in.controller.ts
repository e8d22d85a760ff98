import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { DEMO_PEOPLE, mintDevToken, type DemoPerson, Public, ROLES, type Role } from '@tre/auth';
import { APP_CONFIG, DomainError, type AppConfig } from '@tre/core';

export class DevPersonDto {
  @ApiProperty() subject!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
}

export class DevSignInDto {
  @ApiProperty({ description: "One of the demo's people (GET /dev/people)" })
  @IsString()
  @MaxLength(100)
  subject!: string;
}

export class DevTokenDto {
  @ApiProperty() token!: string;
  @ApiProperty({ type: DevPersonDto }) person!: DevPersonDto;
}

/** A demo person as listed: their address goes into their token only, never to a page listing everyone. */
const listed = (person: DemoPerson): DevPersonDto => ({
  subject: person.subject,
  name: person.name,
  roles: [...person.roles],
});

/** Tokens minted here live as long as a working day, like `tre token`'s. */
const DEV_TOKEN_LIFETIME = '8h';

/**
 * Development sign-in for the web app: lists the demo's people and mints a development token for one of
 * them. Only under AUTH_MODE=dev (which configuration already refuses in production): under OIDC every route
 * here answers 404, as if it did not exist, and no token can be minted.
 */
@ApiTags('development')
@Controller('dev')
export class DevSignInController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private requireDevMode(): void {
    if (this.config.authMode !== 'dev') {
      throw new DomainError('not_found', 'Development sign-in exists only when AUTH_MODE=dev');
    }
  }

  @Public()
  @Get('people')
  @ApiOkResponse({ type: [DevPersonDto] })
  @ApiNotFoundResponse({ description: 'Not under AUTH_MODE=dev' })
  people(): DevPersonDto[] {
    this.requireDevMode();
    return Object.values(DEMO_PEOPLE).map(listed);
  }

  @Public()
  @Post('sign-in')
  @HttpCode(200)
  @ApiOkResponse({ type: DevTokenDto })
  @ApiNotFoundResponse({ description: "Not under AUTH_MODE=dev, or not one of the demo's people" })
  async signIn(@Body() body: DevSignInDto): Promise<DevTokenDto> {
    this.requireDevMode();
    // Only the listed people: the endpoint is a convenience for the demo, not a way to mint any identity.
    const person = Object.values(DEMO_PEOPLE).find((candidate) => candidate.subject === body.subject);
    if (!person) throw new DomainError('not_found', `No demo person has the subject ${body.subject}`);
    const token = await mintDevToken(this.config.devKeyFile, {
      subject: person.subject,
      name: person.name,
      roles: [...person.roles],
      email: person.email,
      expiresIn: DEV_TOKEN_LIFETIME,
    });
    return { token, person: listed(person) };
  }
}
