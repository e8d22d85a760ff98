import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not } from 'typeorm';
import type { AuthenticatedUser } from '@tre/auth';
import { APP_CONFIG, ConflictError, NotFoundError, ValidationError, type AppConfig } from '@tre/core';
import {
  CollectGrantsService,
  collectionView,
  listingView,
  OutputCollectionsService,
  OutputIntakeService,
  OutputListingsService,
  OutputRequestService,
  sniffOutputFile,
  type CollectItemResult,
  type OutputCollectionView,
  type OutputListingView,
} from '@tre/outputs';
import {
  collectOne,
  listOutputFiles,
  WorkspaceEntity,
  WorkspaceService,
  type OutputListing,
  type WorkspaceView,
} from '@tre/workspaces';

/** A short-lived grant: the local collection runs at once, inside the member's call. */
const LOCAL_GRANT_TTL_SECONDS = 120;
const NO_CLUSTER =
  'no cluster attached: a local process collected from a local folder standing in for the outputs volume';
const NO_CLUSTER_LISTING =
  'no cluster attached: listed by a local process from a local folder standing in for the outputs volume';

export interface AddByPath {
  /** The request's project's workspace when left out. */
  readonly workspaceId?: string;
  readonly path: string;
  readonly recordPath?: string | null;
  readonly context?: string | null;
  readonly controls?: string | null;
}

/**
 * `GET /workspaces/:id/outputs`. No cluster attached: the folder listed now. A cluster attached: the newest
 * listing a collector Job made (`listedAt`, `ageSeconds`; none yet: no files and `listedAt` null), and the
 * listing under way, if any, to follow; a fresh one is started with POST /workspaces/:id/outputs/listings.
 */
export interface WorkspaceOutputsListing extends OutputListing {
  readonly runner: 'local-process' | 'kubernetes';
  readonly note: string;
  /** The listing these files come from (a cluster attached), or null. */
  readonly listingId: string | null;
  /** When the files were listed; null when no listing has succeeded yet. */
  readonly listedAt: string | null;
  readonly ageSeconds: number | null;
  /** A listing of this workspace under way (a cluster attached): follow it until it settles. */
  readonly pending: OutputListingView | null;
}

/** `POST /workspaces/:id/outputs/listings`: the listing, and whether this call started it. */
export interface ListingStarted {
  readonly runner: 'local-process' | 'kubernetes';
  readonly note: string;
  /** False when a listing of this workspace was already under way: that one is answered. */
  readonly started: boolean;
  readonly listing: OutputListingView;
}

/** With a cluster attached: the collection the worker runs, to be followed until it settles. */
export interface CollectionStarted {
  readonly runner: 'kubernetes';
  readonly note: string;
  readonly path: string;
  readonly collection: OutputCollectionView;
}

export interface AddedByPath {
  readonly runner: 'local-process';
  readonly note: string;
  readonly path: string;
  readonly fileId: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  /** The same record a collection in the cluster leaves, already settled. */
  readonly collection: OutputCollectionView;
}

/**
 * A member's view of their workspace's outputs, and adding a file from them to a request by its path. With no
 * cluster attached (WORKSPACE_DRIVER=manifests) the collector runs here as a local process over
 * WORKSPACE_LOCAL_OUTPUTS_DIR/<workspace id>: it is issued a one-time grant, authenticated by its token and
 * fed to the intake exactly as the collector Job's HTTP calls are, so every path, size, type and SHA-256 rule
 * applies and the file keeps its provenance. With a cluster attached, adding queues a collection the worker
 * runs as a collector Job in the workspace's namespace (202, followed at GET /outputs/:id/collections/:cid),
 * and listing is a collector Job in list mode (202, followed at GET /workspaces/:id/outputs/listings/:lid).
 */
@Injectable()
export class WorkspaceOutputsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workspaces: WorkspaceService,
    private readonly requests: OutputRequestService,
    private readonly grants: CollectGrantsService,
    private readonly intake: OutputIntakeService,
    private readonly collections: OutputCollectionsService,
    private readonly listings: OutputListingsService,
  ) {}

  collection(user: AuthenticatedUser, requestId: string, collectionId: string) {
    return this.collections.view(user, requestId, collectionId);
  }

  async list(user: AuthenticatedUser, workspaceId: string): Promise<WorkspaceOutputsListing> {
    await this.workspaces.detail(user, workspaceId);
    if (this.config.workspaceDriver !== 'manifests') {
      const { succeeded, unsettled } = await this.listings.latest(workspaceId);
      const listedAt = succeeded?.finishedAt ?? null;
      return {
        runner: 'kubernetes',
        note: succeeded
          ? "listed by a collector Job in the workspace's namespace; list again for files written since"
          : 'not listed yet: POST /workspaces/{id}/outputs/listings runs a collector Job that lists the outputs volume',
        files: succeeded?.listing?.files ?? [],
        skipped: succeeded?.listing?.skipped ?? [],
        truncated: succeeded?.listing?.truncated ?? false,
        listingId: succeeded?.id ?? null,
        listedAt: listedAt?.toISOString() ?? null,
        ageSeconds: listedAt ? Math.max(0, Math.floor((Date.now() - listedAt.getTime()) / 1000)) : null,
        pending: unsettled ? listingView(unsettled) : null,
      };
    }
    return {
      runner: 'local-process',
      note: NO_CLUSTER_LISTING,
      ...(await this.listLocal(workspaceId)),
      listingId: null,
      listedAt: new Date().toISOString(),
      ageSeconds: 0,
      pending: null,
    };
  }

  /**
   * Starts a listing of the workspace's outputs volume. A cluster attached: the worker runs a collector Job in
   * list mode (202; follow it at GET /workspaces/:id/outputs/listings/:listingId), or the one already under way
   * is answered. No cluster: a local process lists the local folder at once and the listing is recorded settled.
   */
  async startListing(user: AuthenticatedUser, workspaceId: string): Promise<ListingStarted> {
    const workspace = await this.workspaces.detail(user, workspaceId);
    const scope = { projectId: workspace.projectId, workspaceId, requestedBy: user.subject };
    if (this.config.workspaceDriver !== 'manifests') {
      assertVolumeReadable(workspace);
      const { listing, started } = await this.listings.start(scope);
      return {
        runner: 'kubernetes',
        note: "a collector Job in the workspace's namespace lists the outputs volume; follow the listing until it settles",
        started,
        listing: listingView(listing),
      };
    }
    const listing = await this.listings.recordLocal(
      scope,
      await this.listLocal(workspaceId),
      {
        workspaceId,
        namespace: null,
        claimUid: null,
        jobUid: null,
        image: null,
        runner: 'local-process',
      },
      NO_CLUSTER_LISTING,
    );
    return {
      runner: 'local-process',
      note: NO_CLUSTER_LISTING,
      started: true,
      listing: listingView(listing),
    };
  }

  /** A listing of a workspace the caller may see (404 otherwise, as for the workspace itself). */
  async listing(user: AuthenticatedUser, workspaceId: string, listingId: string): Promise<OutputListingView> {
    await this.workspaces.detail(user, workspaceId);
    const listing = await this.listings.byId(listingId);
    if (!listing || listing.workspaceId !== workspaceId) throw new NotFoundError('Listing', listingId);
    return listingView(listing);
  }

  private async listLocal(workspaceId: string): Promise<OutputListing> {
    const folder = await this.localFolder(workspaceId);
    return folder ? listOutputFiles(folder) : { files: [], skipped: [], truncated: false };
  }

  async add(
    user: AuthenticatedUser,
    requestId: string,
    body: AddByPath,
  ): Promise<AddedByPath | CollectionStarted> {
    const { projectId } = await this.requests.assertMayAddFiles(user, requestId);
    const workspaceId = body.workspaceId ?? (await this.projectWorkspace(projectId));
    const workspace = await this.workspaces.detail(user, workspaceId);
    if (workspace.projectId !== projectId)
      throw new ValidationError("the workspace is not this request's project's workspace");
    const item = {
      path: body.path,
      recordPath: body.recordPath ?? null,
      context: body.context ?? null,
      controls: body.controls ?? null,
    };
    if (this.config.workspaceDriver !== 'manifests') {
      assertVolumeReadable(workspace);
      const collection = await this.collections.start({
        requestId,
        projectId,
        workspaceId,
        requestedBy: user.subject,
        items: [item],
      });
      return {
        runner: 'kubernetes',
        note: "a collector Job in the workspace's namespace reads the file; follow the collection until it settles",
        path: body.path,
        collection: collectionView(collection),
      };
    }
    const folder = await this.localFolder(workspaceId);
    if (!folder) throw new ValidationError(`${body.path}: the workspace's outputs folder holds no files`);
    const { token, grantId } = await this.grants.issue(
      {
        requestId,
        projectId,
        requestedBy: user.subject,
        items: [item],
        origin: {
          workspaceId,
          namespace: null,
          claimUid: null,
          jobUid: null,
          image: null,
          runner: 'local-process',
        },
      },
      LOCAL_GRANT_TTL_SECONDS,
    );
    let results: CollectItemResult[];
    try {
      results = await this.collect(token, requestId, folder);
    } finally {
      await this.grants.revokeGrant(grantId);
    }
    const collection = await this.collections.recordLocal(
      { requestId, projectId, workspaceId, requestedBy: user.subject, items: [item] },
      grantId,
      results,
      NO_CLUSTER,
    );
    const [result] = results;
    if (result?.status !== 'stored')
      throw new ValidationError(`${body.path}: ${result?.reason ?? 'not collected'}`);
    return {
      runner: 'local-process',
      note: NO_CLUSTER,
      path: body.path,
      ...withoutStatus(result),
      collection: collectionView(collection),
    };
  }

  /** The project's workspace not torn down, the newest if there were several approvals. */
  private async projectWorkspace(projectId: string): Promise<string> {
    const workspace = await this.dataSource.getRepository(WorkspaceEntity).findOne({
      where: { projectId, state: Not('deleted') },
      order: { createdAt: 'DESC' },
    });
    if (!workspace)
      throw new ConflictError(
        "the request's project has no workspace: there is no outputs folder to add from",
      );
    return workspace.id;
  }

  /** The collector's steps (plan, record, file or failure, completion), called in-process with its token. */
  private async collect(token: string, requestId: string, folder: string): Promise<CollectItemResult[]> {
    const grant = await this.grants.authenticate(token, requestId);
    const plan = this.intake.plan(grant);
    for (const item of plan.items) {
      const collected = await collectOne(folder, item, {
        maxFileBytes: plan.maxFileBytes,
        maxRecordBytes: plan.maxRecordBytes,
        sniff: sniffOutputFile,
      });
      if (!collected.ok) {
        await this.intake.failure(grant, item.index, collected.reason);
        continue;
      }
      const file = collected.file;
      try {
        if (file.record)
          await this.intake.record(grant, item.index, {
            content: file.record.content,
            sha256: file.record.sha256,
          });
        await this.intake.file(grant, item.index, {
          content: file.content,
          sha256: file.sha256,
          modifiedAt: file.modifiedAt,
        });
      } catch (error: unknown) {
        // The intake recorded the refusal as this item's result; the completion reports it.
        if (!(error instanceof ValidationError)) throw error;
      }
    }
    return this.intake.complete(grant);
  }

  /** The local folder standing in for the workspace's outputs volume; undefined when it does not exist yet. */
  private async localFolder(workspaceId: string): Promise<string | undefined> {
    const folder = join(this.config.workspaceLocalOutputsDir, workspaceId);
    const info = await stat(folder).catch(() => undefined);
    return info?.isDirectory() ? folder : undefined;
  }
}

/** A collector Job can mount the outputs volume only while the workspace is ready or suspended: 409 otherwise. */
function assertVolumeReadable(workspace: WorkspaceView): void {
  if (workspace.state !== 'ready' && workspace.state !== 'suspended')
    throw new ConflictError(
      `The workspace is ${workspace.state}: its outputs volume can be read only while it is ready or suspended`,
    );
}

function withoutStatus(result: Extract<CollectItemResult, { status: 'stored' }>) {
  return { fileId: result.fileId, sha256: result.sha256, sizeBytes: result.sizeBytes };
}
