import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@tre/audit';
import type { AuthenticatedUser } from '@tre/auth';
import { ConflictError, JobQueue, NotFoundError, Outbox, ValidationError } from '@tre/core';
import { ProjectReader } from '@tre/projects';
import { RecordError, type SdcRecord, validateRecord } from '@tre/sdc';
import { EDITABLE_OUTPUT_STATUSES, notEditable } from '../domain/output-status';
import { OutputFileEntity } from '../entities/output-file.entity';
import { OutputRequestEntity } from '../entities/output-request.entity';
import { assertActiveMember } from './output-access';
import { OutputLifecycle } from './output-lifecycle';

/**
 * The researcher's side of the airlock: requests, removing their files, submission and withdrawal. Files are
 * added only by the collector, through the intake (`collecting/output-intake.service.ts`).
 */
@Injectable()
export class OutputRequestService {
  private readonly logger = new Logger(OutputRequestService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lifecycle: OutputLifecycle,
    private readonly projects: ProjectReader,
    private readonly audit: AuditService,
    private readonly outbox: Outbox,
    private readonly jobs: JobQueue,
  ) {}

  async create(user: AuthenticatedUser, projectId: string, title: string): Promise<{ id: string }> {
    return this.dataSource.transaction(async (manager) => {
      const project = await this.projects.membership(manager, projectId);
      if (!project) throw new NotFoundError('Project', projectId);
      assertActiveMember(project, user, null, 'request outputs');
      const request = await manager.save(
        manager.create(OutputRequestEntity, {
          projectId,
          authorId: user.id,
          title,
          status: 'draft',
          round: 0,
        }),
      );
      await this.audit.append(manager, {
        action: 'output.created',
        subjectType: 'output_request',
        subjectId: request.id,
        details: { projectId },
      });
      return { id: request.id };
    });
  }

  /**
   * Refuses, before a collection is started, what the intake would refuse anyway: a request the caller may
   * not see (404), is not an active member of (403), or that is not editable (409). Answers its project.
   */
  async assertMayAddFiles(user: AuthenticatedUser, requestId: string): Promise<{ projectId: string }> {
    return this.dataSource.transaction(async (manager) => {
      const { request, project } = await this.lifecycle.load(manager, requestId, user);
      assertActiveMember(project, user, requestId, 'change this output request');
      if (!EDITABLE_OUTPUT_STATUSES.includes(request.status))
        throw notEditable(request.status, 'add files to');
      return { projectId: request.projectId };
    });
  }

  async removeFile(user: AuthenticatedUser, requestId: string, fileId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const { request, project } = await this.lifecycle.lock(manager, requestId, user);
      assertActiveMember(project, user, requestId, 'change this output request');
      if (!EDITABLE_OUTPUT_STATUSES.includes(request.status))
        throw notEditable(request.status, 'remove files from');
      const file = await manager.findOneBy(OutputFileEntity, { id: fileId, requestId });
      if (!file) throw new NotFoundError('File', fileId);
      await manager.delete(OutputFileEntity, { id: fileId });
      await this.audit.append(manager, {
        action: 'output.file_removed',
        subjectType: 'output_request',
        subjectId: requestId,
        details: { fileId, file: file.fileName, sha256: file.sha256 },
      });
    });
  }

  /**
   * Submits (or resubmits) for checking: a new round, every file's checks and decisions reset. The check job
   * is announced through the outbox (so it cannot be lost) and also queued at once (so it starts now).
   */
  async submit(user: AuthenticatedUser, requestId: string): Promise<{ round: number }> {
    const round = await this.dataSource.transaction(async (manager) => {
      const { request, project } = await this.lifecycle.lock(manager, requestId, user);
      assertActiveMember(project, user, requestId, 'submit this output request');
      const files = await manager.countBy(OutputFileEntity, { requestId });
      if (files === 0 && EDITABLE_OUTPUT_STATUSES.includes(request.status))
        throw new ConflictError('The request holds no files: add at least one before submitting');
      request.round += 1;
      request.checkError = null;
      await this.lifecycle.transition(manager, request, 'submit', { files });
      await manager.update(
        OutputFileEntity,
        { requestId },
        { checkState: 'pending', checkResult: null, decision: 'pending', conflicted: false },
      );
      await this.outbox.record(
        manager,
        'output.submitted',
        { type: 'output_request', id: requestId },
        { requestId, round: request.round },
      );
      return request.round;
    });
    try {
      await this.jobs.enqueue('outputs.check', { requestId, round });
    } catch (error: unknown) {
      // The outbox relay enqueues it within seconds; the submission itself has committed.
      this.logger.warn({ err: error, requestId }, 'could not queue the output check now; the outbox will');
    }
    return { round };
  }

  async withdraw(user: AuthenticatedUser, requestId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const { request, project } = await this.lifecycle.lock(manager, requestId, user);
      assertActiveMember(project, user, requestId, 'withdraw this output request');
      await this.lifecycle.transition(manager, request, 'withdraw', { reason });
    });
  }
}

export function parseRecord(fileName: string, text: string): SdcRecord {
  let json: unknown;
  let holdsNul = false;
  try {
    // Postgres cannot store a NUL character in jsonb: refused here as the client's mistake, not left to fail
    // the insert (a 500). A reviver sees every key and string once unescaped, so `\u0000` is caught too.
    json = JSON.parse(text, (key, value: unknown) => {
      if (key.includes('\u0000') || (typeof value === 'string' && value.includes('\u0000'))) holdsNul = true;
      return value;
    });
  } catch (error: unknown) {
    throw new ValidationError(
      `The record of ${fileName} is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (holdsNul) throw new ValidationError(`The record of ${fileName} holds a NUL character`);
  try {
    const record = validateRecord(json);
    // A collected file is named by its path in the outputs folder; its record may name it by path or by name.
    if (record.file !== undefined && record.file !== fileName && record.file !== fileName.split('/').pop())
      throw new ValidationError(
        `The record describes ${JSON.stringify(record.file)}, not ${JSON.stringify(fileName)}`,
      );
    return record;
  } catch (error: unknown) {
    if (error instanceof RecordError)
      throw new ValidationError(
        `The record of ${fileName} does not follow the disclosure-control record schema: ${error.message}`,
        {
          problems: error.problems,
        },
      );
    throw error;
  }
}
