import type { Role } from '@tre/auth';

/** A person in the demo, with the token the API will see. */
export interface Persona {
  readonly subject: string;
  readonly name: string;
  readonly roles: Role[];
  token: string;
}

export interface DemoContext {
  readonly apiUrl: string;
  /** The newest audit event before this run: what the demo narrates comes after it. */
  readonly auditBaseline: number;
  readonly workerUrl: string;
  /**
   * With no cluster attached, the folder whose `<workspace id>` subfolders stand in for each workspace's
   * outputs volume (WORKSPACE_LOCAL_OUTPUTS_DIR): the researcher's code in the workspace writes there.
   */
  readonly localOutputsDir: string;
  /** The access gateway, proxying to a local stand-in of the workspace's tool. */
  readonly gatewayUrl: string;
  readonly people: Record<
    'researcher' | 'reviewer' | 'secondReviewer' | 'checker' | 'secondChecker' | 'custodian' | 'admin',
    Persona
  >;
  /** Calls the API as someone (or nobody) and returns status and parsed body. */
  readonly call: (
    persona: Persona | undefined,
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ) => Promise<{ status: number; body: unknown }>;
  readonly say: (text: string) => void;
  readonly show: (label: string, value: unknown) => void;
}

/** One step of the demo's story. Later features add chapters; the story walks a project's whole life. */
export interface DemoChapter {
  readonly title: string;
  run(context: DemoContext): Promise<void>;
}

export class DemoFailure extends Error {}

export function expectStatus(actual: number, expected: number, what: string): void {
  if (actual !== expected) throw new DemoFailure(`${what}: expected HTTP ${expected}, got ${actual}`);
}
