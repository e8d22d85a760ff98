import { PassThrough } from 'node:stream';
import { Controller, Get, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuditQueryService, AuditVerifierService, auditCsvHeader, auditCsvLine } from '@tre/audit';
import { CurrentUser, Roles, type AuthenticatedUser } from '@tre/auth';
import { AuditCsvQueryDto, AuditPageDto, AuditQueryDto, VerificationDto } from './audit.dto';
import { CachedRead } from '../read-cache/cached-read.decorator';

/**
 * The most events one CSV export carries: a year's busy trail is about 100,000 events of one action. Past it
 * the export stops and says so in its headers (narrow the filters, or export by period).
 */
export const AUDIT_CSV_LIMIT = 100_000;

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly queries: AuditQueryService,
    private readonly verifier: AuditVerifierService,
  ) {}

  @Roles('admin')
  @Get()
  @CachedRead(['audit_events', 'projects', 'project_members', 'output_requests', 'output_reviews'])
  @ApiOkResponse({ type: AuditPageDto })
  /** The trail as this admin may see it: events a rule keeps sealed for now (blind votes) are withheld. */
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.queries.list({ ...query, from: toDate(query.from), to: toDate(query.to) }, user);
  }

  /**
   * Every matching event the admin may see, newest first, as CSV, streamed in batches as it is read (bounded
   * by AUDIT_CSV_LIMIT). `X-Audit-Rows` says how many rows follow; `X-Audit-Truncated: true` that more matched.
   */
  @Roles('admin')
  @Get('csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'seq,occurredAt,actorId,action,subjectType,subjectId,details,hash' })
  async csv(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: AuditCsvQueryDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const filters = { ...query, from: toDate(query.from), to: toDate(query.to) };
    const matches = await this.queries.countMatching(filters, user, AUDIT_CSV_LIMIT);
    reply.header('Content-Type', 'text/csv; charset=utf-8');
    reply.header('Content-Disposition', 'attachment; filename="audit-events.csv"');
    reply.header('X-Audit-Rows', String(Math.min(matches, AUDIT_CSV_LIMIT)));
    reply.header('X-Audit-Truncated', String(matches > AUDIT_CSV_LIMIT));
    const rows = new PassThrough();
    rows.write(auditCsvHeader());
    void reply.send(rows);
    try {
      await this.queries.each(filters, user, AUDIT_CSV_LIMIT, async (events) => {
        // A reader who went away stops the export (the framework destroys the stream); a slow one holds the
        // next batch back.
        if (rows.destroyed) throw new Error('the reader went away');
        if (!rows.write(events.map(auditCsvLine).join('')))
          await new Promise((resolve) => {
            rows.once('drain', resolve);
            rows.once('close', resolve);
          });
      });
      rows.end();
    } catch (error: unknown) {
      // Headers are gone: the only honest way to say the file is incomplete is to cut the connection.
      rows.destroy(error as Error);
    }
  }

  @Roles('admin')
  @Get('verify')
  @ApiOkResponse({ type: VerificationDto })
  verify(): Promise<VerificationDto> {
    return this.verifier.verify();
  }
}

const toDate = (value: string | undefined): Date | undefined => (value ? new Date(value) : undefined);
