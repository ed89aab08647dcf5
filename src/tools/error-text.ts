import { ToolError } from './process-runner';

/** The text an error carries (for a tool failure: the command, its exit and its stderr tail). */
export function errorText(error: unknown): string {
  if (error instanceof ToolError || error instanceof Error) {
    return error.message;
  }
  return String(error);
}
