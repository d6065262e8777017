/** Rendering errors: a template or a patch target is wrong, which no retry fixes (a bug or a bad input). */
import { TerminalError } from '#shared/errors/index.ts';

export class RenderError extends TerminalError {
  override name = 'RenderError';
  /** The template file, when the error comes from one. */
  readonly template: string | undefined;
  /** The missing variable (as written in the template), for strict-mode errors. */
  readonly variable: string | undefined;
  constructor(message: string, options?: ErrorOptions & { template?: string; variable?: string }) {
    super(message, { ...options, reason: 'RenderFailed' });
    this.template = options?.template;
    this.variable = options?.variable;
  }
}
