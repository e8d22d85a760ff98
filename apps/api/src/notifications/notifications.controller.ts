import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AnyRole, CurrentUser, type AuthenticatedUser } from '@tre/auth';
import { InboxService } from '@tre/notifications';
import { PageQueryDto } from '../common/page-query.dto';
import {
  InboxPageDto,
  NotificationSettingsDto,
  ReadAllResultDto,
  UpdateNotificationSettingsDto,
} from './notifications.dto';
import { CachedRead } from '../read-cache/cached-read.decorator';

/**
 * The caller's own notifications and their choice of email. Everyone signed in has an inbox, whatever their
 * role; each route reads or changes the caller's own rows only.
 */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('me')
export class NotificationsController {
  constructor(private readonly inbox: InboxService) {}

  @AnyRole()
  @Get('notifications')
  @CachedRead(['notifications'])
  @ApiOkResponse({ type: InboxPageDto })
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: PageQueryDto): Promise<InboxPageDto> {
    return this.inbox.list(user, { page: query.page, pageSize: query.pageSize });
  }

  @AnyRole()
  @Post('notifications/read-all')
  @HttpCode(200)
  @ApiOkResponse({ type: ReadAllResultDto })
  async readAll(@CurrentUser() user: AuthenticatedUser): Promise<ReadAllResultDto> {
    return { marked: await this.inbox.markAllRead(user) };
  }

  @AnyRole()
  @Post('notifications/:id/read')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No notification of yours has this id' })
  read(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.inbox.markRead(user, id);
  }

  @AnyRole()
  @Get('notification-settings')
  @ApiOkResponse({ type: NotificationSettingsDto })
  settings(@CurrentUser() user: AuthenticatedUser): Promise<NotificationSettingsDto> {
    return this.inbox.settings(user);
  }

  @AnyRole()
  @Put('notification-settings')
  @ApiOkResponse({ type: NotificationSettingsDto })
  updateSettings(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: UpdateNotificationSettingsDto,
  ): Promise<NotificationSettingsDto> {
    return this.inbox.updateSettings(user, body.emailNotifications);
  }
}
