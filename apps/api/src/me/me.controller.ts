import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentUser, ROLES, type AuthenticatedUser, type Role } from '@tre/auth';

export class MeDto {
  @ApiProperty() id!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
}

/** Who the service takes the caller to be: useful to check a token and its roles. */
@ApiTags('identity')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  @AnyRole()
  @Get()
  @ApiOkResponse({ type: MeDto })
  me(@CurrentUser() user: AuthenticatedUser): MeDto {
    return { id: user.id, subject: user.subject, name: user.name, roles: [...user.roles] };
  }
}
