import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuditQueryService, TransparencyHeadsService, TransparencyTreeService } from '@tre/audit';
import { CurrentUser, Public, Roles, type AuthenticatedUser } from '@tre/auth';
import { NotFoundError, ValidationError } from '@tre/core';
import {
  ConsistencyProofDto,
  ConsistencyQueryDto,
  HeadsPageDto,
  HeadsQueryDto,
  InclusionProofDto,
  InclusionQueryDto,
  PublicKeysDto,
  SignedTreeHeadDto,
} from './transparency.dto';
import { PositiveIntPipe } from '../common/validators';

/**
 * The transparency log over the audit trail. Heads, keys and consistency proofs are public: with them
 * anyone can check that the log was only ever appended to (`tre transparency verify`). They reveal hashes
 * only. An inclusion proof names an event, so it is for admins and auditors, and only for events they may see.
 */
@ApiTags('transparency')
@Controller('transparency')
export class TransparencyController {
  constructor(
    private readonly heads: TransparencyHeadsService,
    private readonly tree: TransparencyTreeService,
    private readonly events: AuditQueryService,
  ) {}

  @Public()
  @Get('heads/latest')
  @ApiOkResponse({ type: SignedTreeHeadDto })
  async latest(): Promise<SignedTreeHeadDto> {
    const head = await this.heads.latest();
    if (!head) throw new NotFoundError('Signed tree head', 'latest');
    return head;
  }

  @Public()
  @Get('heads')
  @ApiOkResponse({ type: HeadsPageDto })
  async list(@Query() query: HeadsQueryDto): Promise<HeadsPageDto> {
    return { items: await this.heads.list(query.after, query.limit) };
  }

  @Public()
  @Get('key')
  @ApiOkResponse({ type: PublicKeysDto })
  async keys(): Promise<PublicKeysDto> {
    return { keys: await this.heads.keys() };
  }

  @Public()
  @Get('consistency')
  @ApiOkResponse({ type: ConsistencyProofDto })
  async consistency(@Query() query: ConsistencyQueryDto): Promise<ConsistencyProofDto> {
    const proof = await this.tree.consistencyProof(query.first, query.second);
    return { first: query.first, second: query.second, proof: proof.map((h) => h.toString('hex')) };
  }

  @Roles('admin', 'auditor')
  @ApiBearerAuth()
  @Get('inclusion/:seq')
  @ApiOkResponse({ type: InclusionProofDto })
  async inclusion(
    @CurrentUser() user: AuthenticatedUser,
    @Param('seq', PositiveIntPipe) seq: number,
    @Query() query: InclusionQueryDto,
  ): Promise<InclusionProofDto> {
    if (seq < 1 || !(await this.events.isVisible(seq, user)))
      throw new NotFoundError('Audit event', String(seq));
    const treeSize = query.treeSize ?? (await this.heads.latest())?.treeSize ?? 0;
    if (seq > treeSize) {
      throw new ValidationError(
        `event ${seq} is not in a tree of ${treeSize} events; ask after the next head`,
      );
    }
    const { leafHash, proof } = await this.tree.inclusionProof(seq - 1, treeSize);
    return {
      seq,
      leafIndex: seq - 1,
      treeSize,
      leafHash: leafHash.toString('hex'),
      proof: proof.map((h) => h.toString('hex')),
    };
  }
}
