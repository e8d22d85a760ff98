import { ApiProperty } from '@nestjs/swagger';
import { OPT_OUT_LISTS, type OptOutList } from '@tre/datasets';

/** A list's version in force: counts and provenance only, never the numbers. */
export class OptOutListDto {
  @ApiProperty({ enum: OPT_OUT_LISTS }) list!: OptOutList;
  @ApiProperty({ description: '0 when the list has never been loaded' }) version!: number;
  @ApiProperty({ description: 'Distinct NHS numbers in the version' }) count!: number;
  @ApiProperty({ nullable: true, type: String }) loadedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'User id, or system:cli' })
  loadedBy!: string | null;
}
