import { ForbiddenError, NotFoundError, DomainError } from '@tre/core';
import type { AuthenticatedUser } from '@tre/auth';
import type { ProjectEntity } from '../entities/project.entity';
import type { ProjectMemberEntity } from '../entities/project-member.entity';

export const isMember = (members: readonly ProjectMemberEntity[], user: AuthenticatedUser): boolean =>
  members.some((member) => member.subject === user.subject);

/**
 * Who may see a project: its members, admins, and DAC members once it has been submitted. Anyone else is
 * told it does not exist, so drafts and unrelated applications do not leak.
 */
export function assertCanView(
  project: ProjectEntity,
  members: readonly ProjectMemberEntity[],
  user: AuthenticatedUser,
): void {
  const visible =
    user.roles.includes('admin') ||
    isMember(members, user) ||
    (user.roles.includes('dac_member') && project.status !== 'draft');
  if (!visible) throw new NotFoundError('Project', project.id);
}

export function assertLead(project: ProjectEntity, user: AuthenticatedUser, action: string): void {
  if (project.leadId !== user.id)
    throw new ForbiddenError(`Only the project lead may ${action} this project`);
}

/** Separation of duties: nobody reviews, checks or governs a project they are a member of. */
export function assertNotMember(
  members: readonly ProjectMemberEntity[],
  user: AuthenticatedUser,
  action: string,
): void {
  if (isMember(members, user)) {
    throw new DomainError(
      'separation_of_duties',
      `You are a member of this project, so you cannot ${action} it`,
    );
  }
}
