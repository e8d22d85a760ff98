import { DemoFailure, type DemoChapter } from './demo-context';
import { story } from './project.chapters';

interface WorkspaceBody {
  id: string;
  projectId: string;
  size: string;
  tool: string;
  namespace: string;
  state: string;
  cluster: 'attached' | 'none';
  clusterTarget: string;
  clusterNotice: string | null;
  failureReason: string | null;
  steps: { name: string; state: string; attempts: number; note: string | null; error: string | null }[];
}

const describeStep = (step: WorkspaceBody['steps'][number]): string =>
  `${step.name}: ${step.state}${step.attempts > 1 ? ` (${step.attempts} attempts)` : ''}` +
  (step.error ? ` - ${step.error}` : step.note ? ` - ${step.note}` : '');

/**
 * The approval also requested the project's workspace; the worker provisions it step by step, in a cluster
 * when KUBECONFIG_PATH is set, otherwise as manifests in a folder (no cluster attached, which it says).
 */
export const workspaceChapters: DemoChapter[] = [
  {
    title: "The approval provisions the project's sealed workspace, step by step",
    async run({ call, people, say }) {
      const deadline = Date.now() + 180_000;
      let workspace: WorkspaceBody | undefined;
      const shown = new Set<string>();
      while (Date.now() < deadline) {
        const response = await call(people.researcher, 'GET', '/workspaces');
        workspace = (response.body as { items: WorkspaceBody[] }).items.find(
          (w) => w.projectId === story.projectId,
        );
        if (workspace && shown.size === 0) {
          say(
            `workspace ${workspace.id}: ${workspace.size}, ${workspace.tool}, namespace ${workspace.namespace}`,
          );
          say(`where: ${workspace.clusterTarget}`);
          shown.add('header');
        }
        for (const step of workspace?.steps ?? []) {
          const line = describeStep(step);
          if (['done', 'skipped', 'failed'].includes(step.state) && !shown.has(line)) {
            shown.add(line);
            say(line);
          }
        }
        if (workspace && ['ready', 'failed'].includes(workspace.state)) break;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      if (!workspace || workspace.state !== 'ready') {
        throw new DemoFailure(
          `the workspace did not become ready: ${workspace?.failureReason ?? workspace?.state ?? 'not requested'}`,
        );
      }
      const walls =
        'its own namespace (restricted pod security), deny-all traffic except the gateway to the tool, quota and limits, a service account with no token, data read-only';
      if (workspace.cluster === 'attached') say(`ready: ${walls}`);
      else {
        // The lifecycle says ready once every manifest is written; nothing runs until someone applies them.
        say(`ready as manifests only: ${workspace.clusterNotice ?? ''}`);
        say(`the manifests describe ${walls}; a GitOps tool would apply them to a cluster`);
      }
    },
  },
];
