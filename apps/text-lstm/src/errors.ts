// The character-level apps share one error type (`@jute/app-kit/text-corpus`).
export { type AppError, appError } from '@jute/app-kit/text-corpus';
