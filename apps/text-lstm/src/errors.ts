/** An error the CLI reports as one line (bad input, unreadable files, wrong checkpoints). */
export interface AppError {
  readonly _tag: 'AppError';
  readonly message: string;
}

/** Wraps a message as an {@link AppError}. @example appError('--prompt is empty') */
export const appError = (message: string): AppError => ({ _tag: 'AppError', message });
