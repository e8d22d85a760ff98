import { handlerCoverageProblems } from './handler-coverage';

describe('handler coverage at worker start-up', () => {
  it('accepts exactly one handler per job', () => {
    expect(handlerCoverageProblems(['a.x', 'b.y'], ['b.y', 'a.x'])).toEqual([]);
  });

  it('names jobs without a handler, with two, and handlers for unknown jobs', () => {
    expect(handlerCoverageProblems(['a.x', 'b.y', 'c.z'], ['a.x', 'a.x', 'c.z', 'd.w'])).toEqual([
      'job "a.x" has 2 handlers',
      'job "b.y" has no handler',
      'a handler claims unknown job "d.w"',
    ]);
  });
});
