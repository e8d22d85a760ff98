import type { ExecutionContext } from '@nestjs/common';
import { PerRoute } from './per-route';

class Projects {
  list(): void {}
}
class Registers extends Projects {}

const contextOf = (classRef: new () => object, handler: () => void) =>
  ({ getHandler: () => handler, getClass: () => classRef }) as unknown as ExecutionContext;

describe('PerRoute', () => {
  it('reads a route once, and a handler inherited by another controller as a route of its own', () => {
    const reads: string[] = [];
    const routes = new PerRoute((handler, classRef) => {
      reads.push(`${classRef.name}.${handler.name}`);
      return reads.length;
    });
    const handler = Projects.prototype.list.bind(undefined);
    expect(routes.of(contextOf(Projects, handler))).toBe(1);
    expect(routes.of(contextOf(Projects, handler))).toBe(1);
    expect(routes.of(contextOf(Registers, handler))).toBe(2);
    expect(reads).toEqual(['Projects.bound list', 'Registers.bound list']);
  });
});
