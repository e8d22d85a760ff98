import type { AuthenticatedUser } from '@tre/auth';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '@tre/core';
import type { ProjectMembership } from '@tre/projects';

export const isProjectMember = (project: ProjectMembership, user: AuthenticatedUser): boolean =>
  project.members.some((m) => m.subject === user.subject);

/**
 * Researchers act on a project's outputs only while they are on it with current accreditation, and only while
 * the project is approved (a suspended, revoked or closed project exports nothing). Non-members are told the
 * request does not exist.
 */
export function assertActiveMember(
  project: ProjectMembership,
  user: AuthenticatedUser,
  requestId: string | null,
  action: string,
): void {
  const member = project.members.find((m) => m.subject === user.subject);
  if (!member)
    throw new NotFoundError(requestId ? 'Output request' : 'Project', requestId ?? project.projectId);
  // Lapsed as the register says where it has a record of the person, else as the declared expiry says.
  if (member.accreditationLapsed)
    throw new ForbiddenError(
      `Your accreditation on this project lapsed, so you cannot ${action} (its expiry: ${member.accreditationExpiresOn}; an admin may also have lapsed it on the register)`,
    );
  if (project.status !== 'approved')
    throw new ConflictError(`The project is ${project.status}: you can ${action} only while it is approved`);
}

/** Output checkers check other people's outputs, never their own project's. */
export function assertChecker(project: ProjectMembership, user: AuthenticatedUser, action: string): void {
  if (!user.roles.includes('output_checker')) throw new ForbiddenError(`Only output checkers may ${action}`);
  if (isProjectMember(project, user))
    throw new DomainError(
      'separation_of_duties',
      `You are a member of this project, so you cannot ${action} its outputs`,
    );
}
