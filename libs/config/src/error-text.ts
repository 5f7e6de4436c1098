/** An error as one line of a log or a refusal: its message (every error here names its cause). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
