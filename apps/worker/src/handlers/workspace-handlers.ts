import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import {
  OperationSuperseded,
  StepFailed,
  WorkspaceProvisioner,
  WorkspaceService,
  WorkspaceStore,
} from '@tre/workspaces';
import { HandlesJob, type JobAttempt, type JobHandler } from '../jobs/job-handler';

/** A permanent step failure ends the job at once; a superseded operation ends it quietly. */
async function asJob<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error: unknown) {
    if (error instanceof OperationSuperseded) return undefined;
    if (error instanceof StepFailed) throw new UnrecoverableError(error.message);
    throw error;
  }
}

@Injectable()
@HandlesJob('workspaces.request')
export class RequestWorkspaceHandler implements JobHandler<'workspaces.request'> {
  constructor(private readonly workspaces: WorkspaceService) {}

  async handle({ approvalId }: { approvalId: string }, attempt: JobAttempt): Promise<void> {
    const workspace = await this.workspaces.requestForApproval(approvalId);
    await attempt.progress(
      100,
      workspace ? `workspace ${workspace.id} ${workspace.state}` : 'no such approval',
    );
  }
}

@Injectable()
@HandlesJob('workspaces.follow-project')
export class FollowProjectHandler implements JobHandler<'workspaces.follow-project'> {
  constructor(private readonly workspaces: WorkspaceService) {}

  async handle({ projectId }: { projectId: string }, attempt: JobAttempt): Promise<void> {
    const done = await this.workspaces.followProject(projectId);
    await attempt.progress(100, done.join('; ') || 'nothing to do');
  }
}

@Injectable()
@HandlesJob('workspaces.provision')
export class ProvisionWorkspaceHandler implements JobHandler<'workspaces.provision'> {
  constructor(
    private readonly provisioner: WorkspaceProvisioner,
    private readonly workspaces: WorkspaceService,
  ) {}

  async handle({ workspaceId }: { workspaceId: string }, attempt: JobAttempt): Promise<void> {
    const outcome = await asJob(() => this.provisioner.provision(workspaceId, attempt));
    const followed = outcome === 'ready' ? await this.workspaces.followUp(workspaceId) : [];
    await attempt.progress(100, [outcome ?? 'superseded', ...followed].join('; '));
  }

  async onFinalFailure({ workspaceId }: { workspaceId: string }, error: Error): Promise<void> {
    await this.provisioner.failProvisioning(workspaceId, error.message);
  }
}

@Injectable()
@HandlesJob('workspaces.suspend')
export class SuspendWorkspaceHandler implements JobHandler<'workspaces.suspend'> {
  constructor(
    private readonly provisioner: WorkspaceProvisioner,
    private readonly store: WorkspaceStore,
  ) {}

  async handle({ workspaceId }: { workspaceId: string }, attempt: JobAttempt): Promise<void> {
    await asJob(() => this.provisioner.suspend(workspaceId, attempt));
  }

  /** The workspace stays suspended (the reconciler keeps scaling it to zero); the reason is recorded. */
  async onFinalFailure({ workspaceId }: { workspaceId: string }, error: Error): Promise<void> {
    await this.store.setFailureReason(workspaceId, `suspend: ${error.message}`);
  }
}

@Injectable()
@HandlesJob('workspaces.resume')
export class ResumeWorkspaceHandler implements JobHandler<'workspaces.resume'> {
  constructor(
    private readonly provisioner: WorkspaceProvisioner,
    private readonly store: WorkspaceStore,
  ) {}

  async handle({ workspaceId }: { workspaceId: string }, attempt: JobAttempt): Promise<void> {
    await asJob(() => this.provisioner.resume(workspaceId, attempt));
  }

  async onFinalFailure({ workspaceId }: { workspaceId: string }, error: Error): Promise<void> {
    await this.store.setFailureReason(workspaceId, `resume: ${error.message}`);
  }
}

@Injectable()
@HandlesJob('workspaces.teardown')
export class TeardownWorkspaceHandler implements JobHandler<'workspaces.teardown'> {
  constructor(
    private readonly provisioner: WorkspaceProvisioner,
    private readonly store: WorkspaceStore,
  ) {}

  async handle({ workspaceId }: { workspaceId: string }, attempt: JobAttempt): Promise<void> {
    const outcome = await asJob(() => this.provisioner.teardown(workspaceId, attempt));
    await attempt.progress(100, outcome ?? 'superseded');
  }

  /** Stays deprovisioning with the failing step shown; the reconciler enqueues the teardown again. */
  async onFinalFailure({ workspaceId }: { workspaceId: string }, error: Error): Promise<void> {
    await this.store.setFailureReason(workspaceId, `teardown: ${error.message}`);
  }
}
