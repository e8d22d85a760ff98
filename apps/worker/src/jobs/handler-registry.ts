import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { JOB_NAMES, type JobName } from '@tre/core';
import { handlerCoverageProblems } from './handler-coverage';
import { HANDLES_JOB, type JobHandler } from './job-handler';

/** Finds the @HandlesJob providers at start-up and refuses to start on a missing or doubled handler. */
@Injectable()
export class HandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const found: { name: JobName; handler: JobHandler<JobName> }[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.metatype || !wrapper.instance) continue;
      const name = this.reflector.get<JobName | undefined>(HANDLES_JOB, wrapper.metatype);
      if (name) found.push({ name, handler: wrapper.instance as JobHandler<JobName> });
    }
    const problems = handlerCoverageProblems(
      JOB_NAMES,
      found.map((entry) => entry.name),
    );
    if (problems.length > 0) throw new Error(`Worker cannot start: ${problems.join('; ')}`);
    for (const { name, handler } of found) this.handlers.set(name, handler);
  }

  handlerFor(name: string): JobHandler<JobName> | undefined {
    return this.handlers.get(name as JobName);
  }
}
