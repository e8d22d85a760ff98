import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { ACCREDITATION_STATES } from '@tre/projects';
import { IsCalendarDate, IsFutureDate } from '../common/validators';

const DATE_MESSAGE = { message: 'expiresOn must be a date written YYYY-MM-DD that exists' };
const FUTURE_MESSAGE = { message: 'expiresOn must be after today' };

export class AccreditationSetDto {
  @ApiProperty({ example: '2027-06-30', description: 'The day the accreditation expires (after today)' })
  @IsCalendarDate(DATE_MESSAGE)
  @IsFutureDate(FUTURE_MESSAGE)
  expiresOn!: string;

  @ApiProperty({
    example: 'ONS Accredited Researcher, ref AR-1234',
    description: 'Accrediting body and reference',
  })
  @IsString()
  @Length(3, 500)
  reference!: string;
}

export class AccreditationRenewDto {
  @ApiProperty({ example: '2028-06-30', description: 'The new expiry: later than the one in force' })
  @IsCalendarDate(DATE_MESSAGE)
  @IsFutureDate(FUTURE_MESSAGE)
  expiresOn!: string;

  @ApiPropertyOptional({ description: 'A new reference, if the renewal carries one' })
  @IsOptional()
  @IsString()
  @Length(3, 500)
  reference?: string;
}

export class AccreditationLapseDto {
  @ApiProperty() @IsString() @Length(3, 2000) reason!: string;
}

export class AccreditationRecordDto {
  @ApiProperty({ enum: ACCREDITATION_STATES }) state!: string;
  @ApiProperty() expiresOn!: string;
  @ApiProperty({ description: 'Current on the register but past its expiry: it denies all the same' })
  expired!: boolean;
  @ApiProperty() reference!: string;
  @ApiProperty({ nullable: true, type: String }) lapsedReason!: string | null;
  @ApiProperty({ description: 'The admin who last changed it, by user id' }) updatedBy!: string;
  @ApiProperty() updatedAt!: string;
}

export class AccreditationLapsedDto extends AccreditationRecordDto {
  @ApiProperty({ description: "The person's sessions ended by the lapse" }) sessionsEnded!: number;
}

export class PersonDto {
  @ApiProperty({ description: 'Identity-provider subject' }) subject!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty() lastSeenAt!: string;
  @ApiProperty({
    type: AccreditationRecordDto,
    nullable: true,
    description: 'Null: not on the register, so the expiry declared on each project membership applies',
  })
  accreditation!: AccreditationRecordDto | null;
  @ApiProperty({
    description: "Whether their latest sign-in's token gave an email address for notifications",
  })
  emailAddressKnown!: boolean;
  @ApiProperty({ description: 'Their messages that went to the inbox only for want of an address' })
  messagesNotEmailed!: number;
}

export class NotSignedInDto {
  @ApiProperty({ description: 'People named on a project who have never signed in' }) people!: number;
  @ApiProperty({ description: 'Messages waiting in their inboxes, not emailed (no address known)' })
  messages!: number;
}

export class PeoplePageDto {
  @ApiProperty({ type: [PersonDto] }) items!: PersonDto[];
  @ApiProperty({ type: NotSignedInDto }) notSignedIn!: NotSignedInDto;
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
