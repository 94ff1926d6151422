/** A schema's complaints as one line, for answers and logs. */
import type { z } from 'zod';

/** The first few of a schema's complaints, each with where it is: for messages and logs. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
