import { DemoFailure, type DemoChapter } from './demo-context';
import { story } from './project.chapters';

interface ExtractBody {
  status: string;
  failureReason: string | null;
  steps: { name: string; state: string; detail?: Record<string, unknown> }[];
  manifest: {
    files: { file: string; rows: number; sha256: string }[];
    keyVersion: number;
    gate: { passed: boolean; reasons: string[]; stability: Record<string, unknown>; datasets: unknown[] };
  } | null;
}

export const extractChapters: DemoChapter[] = [
  {
    title: 'The approval starts the extract: pseudonymised, minimised, opt-outs removed, gated',
    async run({ call, people, say }) {
      const deadline = Date.now() + 120_000;
      let extract: ExtractBody | undefined;
      let shown = '';
      while (Date.now() < deadline) {
        const response = await call(people.researcher, 'GET', `/projects/${story.projectId}/extracts`);
        extract = (response.body as { items: ExtractBody[] }).items[0];
        const progress = extract
          ? extract.steps.map((s) => `${s.name}:${s.state}`).join(' > ')
          : 'waiting for the worker';
        if (progress !== shown) say((shown = progress));
        if (extract && ['ready', 'failed'].includes(extract.status)) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      if (!extract || extract.status !== 'ready' || !extract.manifest) {
        throw new DemoFailure(
          `the extract did not become ready: ${extract?.failureReason ?? extract?.status ?? 'not started'}`,
        );
      }
      for (const step of extract.steps.filter((s) => s.name.startsWith('extract '))) {
        say(`${step.name}: ${JSON.stringify(step.detail)}`);
      }
      for (const file of extract.manifest.files)
        say(`${file.file}: ${file.rows} rows, sha256 ${file.sha256}`);
      say(
        `gate passed: ${extract.manifest.gate.passed}; pseudonyms ${JSON.stringify(extract.manifest.gate.stability)}`,
      );
      say(
        `key version ${extract.manifest.keyVersion}; no identifier, name or opted-out person is in the files`,
      );
    },
  },
];
