import { AuditEventEntity } from '@tre/audit';
import { UserEntity } from '@tre/auth';
import { NotificationDeliveryEntity, NotificationEntity } from '@tre/notifications';
import { DomainEventEntity } from '@tre/core';
import { PROJECT_ENTITIES } from '@tre/projects';
import { OUTPUT_ENTITIES } from '@tre/outputs';
import { WORKSPACE_ENTITIES } from '@tre/workspaces';
import { DatasetEntity, DatasetFieldEntity, ExtractEntity, OPT_OUT_ENTITIES } from '@tre/datasets';
import { LoadGrantEntity, WorkspaceSessionEntity } from '@tre/workspaces';

/** All entities, for migration generation (`npm run migration:generate`); apps load theirs via modules. */
export const ALL_ENTITIES = [
  UserEntity,
  AuditEventEntity,
  DatasetEntity,
  DatasetFieldEntity,
  DomainEventEntity,
  ...PROJECT_ENTITIES,
  ...WORKSPACE_ENTITIES,
  ExtractEntity,
  ...OPT_OUT_ENTITIES,
  LoadGrantEntity,
  WorkspaceSessionEntity,
  ...OUTPUT_ENTITIES,
  NotificationEntity,
  NotificationDeliveryEntity,
];
