import type { EntityManager } from 'typeorm';
import { ExtractEntity, type ExtractStep } from './extract.entity';

/**
 * Records each step of an extract on its row as it happens (name, state, timings, counts), so the API and CLI
 * show progress while the worker runs, and a failure shows where it stopped.
 */
export class ExtractSteps {
  private readonly steps: ExtractStep[];

  constructor(
    private readonly manager: EntityManager,
    private readonly extractId: string,
    names: readonly string[],
  ) {
    this.steps = names.map((name) => ({ name, state: 'pending' }));
  }

  async start(name: string, detail?: ExtractStep['detail']): Promise<void> {
    Object.assign(this.step(name), { state: 'running', startedAt: new Date().toISOString(), detail });
    await this.save();
  }

  async progress(name: string, detail: ExtractStep['detail']): Promise<void> {
    this.step(name).detail = detail;
    await this.save();
  }

  async finish(name: string, detail?: ExtractStep['detail']): Promise<void> {
    Object.assign(this.step(name), {
      state: 'done',
      finishedAt: new Date().toISOString(),
      ...(detail ? { detail } : {}),
    });
    await this.save();
  }

  async fail(name: string, reason: string): Promise<void> {
    Object.assign(this.step(name), {
      state: 'failed',
      finishedAt: new Date().toISOString(),
      detail: { error: reason },
    });
    await this.save();
  }

  current(): string | undefined {
    return this.steps.find((step) => step.state === 'running')?.name;
  }

  save(): Promise<unknown> {
    return this.manager.update(ExtractEntity, { id: this.extractId }, { steps: this.steps });
  }

  private step(name: string): ExtractStep {
    const step = this.steps.find((s) => s.name === name);
    if (!step) throw new Error(`unknown extract step ${name}`);
    return step;
  }
}
