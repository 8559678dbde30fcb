// An error the CLI prints as one clear line and exits non-zero on, without a stack trace.
export class CliError extends Error {
  override name = 'CliError';
}
