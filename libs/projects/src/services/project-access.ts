import { ForbiddenError, DomainError } from '@tre/core';
import type { AuthenticatedUser } from '@tre/auth';
import type { ProjectEntity } from '../entities/project.entity';
import type { ProjectMemberEntity } from '../entities/project-member.entity';

export const isMember = (members: readonly ProjectMemberEntity[], user: AuthenticatedUser): boolean =>
  members.some((member) => member.subject === user.subject);

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
