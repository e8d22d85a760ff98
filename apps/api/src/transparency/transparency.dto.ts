import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_INT4 } from '../common/validators';

export class SignedTreeHeadDto {
  @ApiProperty() id!: number;
  @ApiProperty({ description: 'Audit events in the tree' }) treeSize!: number;
  @ApiProperty({ description: 'Hex SHA-256 RFC 9162 root' }) rootHash!: string;
  @ApiProperty() signedAt!: string;
  @ApiProperty({ description: 'Hex SHA-256 of the DER public key' }) keyId!: string;
  @ApiProperty({
    description:
      'Base64 Ed25519 signature over "tre-transparency-head/v1\\ntree_size=N\\nroot_hash=H\\nsigned_at=T\\n"',
  })
  signature!: string;
}

export class HeadsQueryDto {
  @ApiPropertyOptional({ description: 'Heads with an id above this one', default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_INT4)
  after = 0;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;
}

export class HeadsPageDto {
  @ApiProperty({ type: [SignedTreeHeadDto] }) items!: SignedTreeHeadDto[];
}

export class PublicKeyDto {
  @ApiProperty() keyId!: string;
  @ApiProperty({ description: 'SPKI PEM' }) publicKey!: string;
  @ApiProperty() createdAt!: string;
}

export class PublicKeysDto {
  @ApiProperty({ type: [PublicKeyDto] }) keys!: PublicKeyDto[];
}

export class ConsistencyQueryDto {
  @ApiProperty({ minimum: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INT4)
  first!: number;

  @ApiProperty({ minimum: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INT4)
  second!: number;
}

export class ConsistencyProofDto {
  @ApiProperty() first!: number;
  @ApiProperty() second!: number;
  @ApiProperty({ type: [String], description: 'Hex hashes, RFC 9162 order' }) proof!: string[];
}

export class InclusionQueryDto {
  @ApiPropertyOptional({ description: 'Tree size to prove against; defaults to the latest signed head' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INT4)
  treeSize?: number;
}

export class InclusionProofDto {
  @ApiProperty() seq!: number;
  @ApiProperty({ description: 'seq - 1' }) leafIndex!: number;
  @ApiProperty() treeSize!: number;
  @ApiProperty({ description: 'Hex SHA-256 of 0x00 || canonical JSON of the event' }) leafHash!: string;
  @ApiProperty({ type: [String] }) proof!: string[];
}
