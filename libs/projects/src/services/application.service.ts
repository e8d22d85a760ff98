import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@tre/audit';
import type { AuthenticatedUser } from '@tre/auth';
import { IllegalTransitionError, ValidationError } from '@tre/core';
import { DatasetCatalogueService, validateFieldRequest } from '@tre/datasets';
import { today, type ApplicationInput, type ApplicationPatch } from '../domain/application';
import { EDITABLE_STATUSES } from '../domain/project-status';
import { WORKSPACE_CHOICE_POLICY, type WorkspaceChoicePolicy } from '../domain/workspace-choice';
import { DatasetRequestEntity } from '../entities/dataset-request.entity';
import { ProjectMemberEntity } from '../entities/project-member.entity';
import { ProjectEntity } from '../entities/project.entity';
import { ProjectVersionEntity } from '../entities/project-version.entity';
import { assertLead } from './project-access';
import { ProjectLifecycle } from './project-lifecycle';
import { ProjectReader } from './project-reader';

/** Researchers' side of an application: draft, edit while editable, submit, withdraw. */
@Injectable()
export class ApplicationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly catalogue: DatasetCatalogueService,
    private readonly lifecycle: ProjectLifecycle,
    private readonly reader: ProjectReader,
    @Inject(WORKSPACE_CHOICE_POLICY) private readonly workspaceChoices: WorkspaceChoicePolicy,
  ) {}

  async create(user: AuthenticatedUser, input: ApplicationInput): Promise<string> {
    const requests = await this.prepare(user, input);
    return this.dataSource.transaction(async (manager) => {
      const project = await manager.save(
        manager.create(ProjectEntity, { ...this.projectFields(input), leadId: user.id, status: 'draft' }),
      );
      await this.replaceMembers(manager, project.id, user, input);
      await this.replaceRequests(manager, project.id, requests);
      await this.audit.append(manager, {
        action: 'project.drafted',
        subjectType: 'project',
        subjectId: project.id,
        details: { datasets: requests.map((r) => r.datasetCode), members: input.members.length + 1 },
      });
      return project.id;
    });
  }

  async update(user: AuthenticatedUser, projectId: string, patch: ApplicationPatch): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const project = await this.lifecycle.lockProject(manager, projectId, user);
      assertLead(project, user, 'edit');
      if (!EDITABLE_STATUSES.includes(project.status)) {
        throw new IllegalTransitionError(
          'project',
          project.status,
          'edit',
          'submitted applications are frozen',
        );
      }
      const current = await this.reader.applicationOf(manager, project);
      const merged: ApplicationInput = { ...current, ...patch };
      const requests = await this.prepare(user, merged);
      await manager.update(ProjectEntity, { id: projectId }, this.projectFields(merged));
      await this.replaceMembers(manager, projectId, user, merged);
      await this.replaceRequests(manager, projectId, requests);
      await this.audit.append(manager, {
        action: 'project.edited',
        subjectType: 'project',
        subjectId: projectId,
        details: { sections: Object.keys(patch).sort(), applicationVersion: project.applicationVersion },
      });
    });
  }

  /** Freezes the application as a new version and hands it to the DAC. */
  async submit(user: AuthenticatedUser, projectId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const project = await this.lifecycle.lockProject(manager, projectId, user);
      assertLead(project, user, 'submit');
      const application = await this.reader.applicationOf(manager, project);
      // The catalogue may have changed since the draft was written: check again before freezing it.
      await this.prepare(user, application);
      // A returned application is resubmitted as the next version; the first submission is version 1.
      const version =
        project.status === 'returned' ? project.applicationVersion + 1 : project.applicationVersion;
      await manager.insert(ProjectVersionEntity, {
        projectId,
        version,
        content: { ...application },
        submittedBy: user.id,
        submittedAt: new Date(),
      });
      await manager.update(ProjectEntity, { id: projectId }, { applicationVersion: version });
      await this.lifecycle.transition(manager, project, 'submit', { applicationVersion: version });
    });
  }

  async withdraw(user: AuthenticatedUser, projectId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const project = await this.lifecycle.lockProject(manager, projectId, user);
      assertLead(project, user, 'withdraw');
      await this.lifecycle.transition(manager, project, 'withdraw');
    });
  }

  private projectFields(input: ApplicationInput) {
    return {
      workspaceChoice: input.workspace ? { ...input.workspace } : null,
      title: input.title,
      laySummary: input.laySummary,
      scientificPurpose: input.scientificPurpose,
      publicBenefit: input.publicBenefit,
      organisation: input.organisation,
      requestedEndDate: input.requestedEndDate,
    };
  }

  /** Checks what a DTO cannot see on its own, and resolves the requested datasets against the catalogue. */
  private async prepare(user: AuthenticatedUser, input: ApplicationInput) {
    // An unknown size or a tool outside the allow-list is refused here, long before anything is provisioned.
    this.workspaceChoices.resolve(input.workspace);
    const problems: string[] = [];
    if (input.requestedEndDate <= today())
      problems.push(`requestedEndDate ${input.requestedEndDate} is not in the future`);
    const subjects = input.members.map((m) => m.subject);
    if (subjects.includes(user.subject))
      problems.push('members must not list the lead, who is a member already');
    const repeated = subjects.filter((s, i) => subjects.indexOf(s) !== i);
    if (repeated.length) problems.push(`members are listed twice: ${[...new Set(repeated)].join(', ')}`);
    const codes = input.datasets.map((d) => d.datasetCode);
    const repeatedCodes = codes.filter((c, i) => codes.indexOf(c) !== i);
    if (repeatedCodes.length)
      problems.push(`datasets are requested twice: ${[...new Set(repeatedCodes)].join(', ')}`);
    if (problems.length)
      throw new ValidationError(`Invalid application: ${problems.join('; ')}`, { problems });
    return this.resolveDatasets(input);
  }

  /** Checks every requested dataset and field against the catalogue; each problem is named. */
  private async resolveDatasets(input: ApplicationInput) {
    const datasets = await this.catalogue.findByCodes(input.datasets.map((d) => d.datasetCode));
    const problems: string[] = [];
    const requests = input.datasets.map((request) => {
      const dataset = datasets.find((d) => d.code === request.datasetCode)!;
      problems.push(...validateFieldRequest(dataset, request.fields));
      return {
        datasetId: dataset.id,
        datasetCode: dataset.code,
        fields: request.fields,
        legalBasis: request.legalBasis,
      };
    });
    if (problems.length)
      throw new ValidationError(`Invalid dataset request: ${problems.join('; ')}`, { problems });
    return requests;
  }

  private async replaceMembers(
    manager: EntityManager,
    projectId: string,
    lead: AuthenticatedUser,
    input: ApplicationInput,
  ) {
    await manager.delete(ProjectMemberEntity, { projectId });
    await manager.insert(ProjectMemberEntity, [
      {
        projectId,
        subject: lead.subject,
        role: 'lead',
        accreditationExpiresOn: input.accreditationExpiresOn,
      },
      ...input.members.map((m) => ({
        projectId,
        subject: m.subject,
        role: 'member' as const,
        accreditationExpiresOn: m.accreditationExpiresOn,
      })),
    ]);
  }

  private async replaceRequests(
    manager: EntityManager,
    projectId: string,
    requests: Pick<DatasetRequestEntity, 'datasetId' | 'datasetCode' | 'fields' | 'legalBasis'>[],
  ) {
    await manager.delete(DatasetRequestEntity, { projectId });
    if (requests.length)
      await manager.insert(
        DatasetRequestEntity,
        requests.map((r) => ({ ...r, projectId })),
      );
  }
}
