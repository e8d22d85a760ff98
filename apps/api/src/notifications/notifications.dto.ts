import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { NOTIFICATION_KINDS, type NotificationKind } from '@tre/notifications';

export class InboxNotificationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind!: NotificationKind;
  @ApiProperty({ description: "The kind's fixed subject line" }) subject!: string;
  @ApiProperty({ description: "The kind's fixed sentence: never the content it is about" }) line!: string;
  @ApiProperty({ description: 'A path in the web app, under /app' }) link!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readAt!: string | null;
}

export class InboxPageDto {
  @ApiProperty({ type: [InboxNotificationDto] }) items!: InboxNotificationDto[];
  @ApiProperty() total!: number;
  @ApiProperty({ description: 'Unread messages in the whole inbox, not this page' }) unread!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ReadAllResultDto {
  @ApiProperty({ description: 'How many messages were marked read' }) marked!: number;
}

export class NotificationSettingsDto {
  @ApiProperty({ description: 'Whether notifications also come by email (the inbox always gets them)' })
  emailNotifications!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "Your address from your identity provider's token; null means the inbox only",
  })
  emailAddress!: string | null;
  @ApiProperty({ description: 'Whether this service sends email at all' }) emailAvailable!: boolean;
}

export class UpdateNotificationSettingsDto {
  @ApiProperty() @IsBoolean() emailNotifications!: boolean;
}
