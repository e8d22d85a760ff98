import { describeProblems, MAX_REPORTED_PROBLEMS, parseOptOutFile } from './optout-file';

describe('parseOptOutFile', () => {
  it('reads normalised distinct numbers, accepting spaces, quotes, CRLF, a BOM and blank lines', () => {
    const result = parseOptOutFile('\uFEFFNHS_Number\r\n943 476 5919\r\n"9999999999"\r\n\r\n9434765919\r\n');
    expect(result).toEqual({ ok: true, nhsNumbers: ['9434765919', '9999999999'], duplicates: 1 });
  });

  it('refuses the whole file, naming lines and never values', () => {
    const result = parseOptOutFile('nhs_number\n9434765919\n9434765918\n12345\n9434765919,Smith\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.line)).toEqual([3, 4, 5]);
    const message = describeProblems(result.problems, result.problemCount);
    expect(message).toContain('line 3: not an NHS number');
    expect(message).toContain('line 5: more than one column');
    expect(message).not.toMatch(/943476591|12345|Smith/);
  });

  it('refuses a wrong header and an empty list', () => {
    const wrong = parseOptOutFile('patient_id\n9434765919\n');
    expect(wrong.ok || wrong.problems[0]).toEqual({ line: 1, reason: expect.stringMatching(/header/) });
    const empty = parseOptOutFile('nhs_number\n');
    expect(empty.ok || empty.problems[0].reason).toMatch(/no NHS numbers/);
  });

  it('lists the first 20 problems and counts the rest', () => {
    const result = parseOptOutFile(`nhs_number\n${'1\n'.repeat(25)}`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(result.problemCount).toBe(25);
    expect(result.problems[0].line).toBe(2);
    expect(describeProblems(result.problems, result.problemCount)).toMatch(/and 5 more$/);
  });
});
