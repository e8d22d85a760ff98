/**
 * The start-up rule: every job in the catalogue has exactly one handler, and no handler claims a job the
 * catalogue does not know. Returns the problems, empty when the worker may start.
 */
export function handlerCoverageProblems(jobNames: readonly string[], handled: readonly string[]): string[] {
  const problems: string[] = [];
  for (const name of jobNames) {
    const count = handled.filter((h) => h === name).length;
    if (count === 0) problems.push(`job "${name}" has no handler`);
    if (count > 1) problems.push(`job "${name}" has ${count} handlers`);
  }
  for (const name of new Set(handled)) {
    if (!jobNames.includes(name)) problems.push(`a handler claims unknown job "${name}"`);
  }
  return problems;
}
