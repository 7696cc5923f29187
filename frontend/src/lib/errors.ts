/**
 * Error classes of the front end. Each carries a machine-readable `code` (the server's code for
 * API errors) so components branch on codes, never on message text.
 */

/** Base class: every error the UI shows has a code and a human message. */
export class AppError extends Error {
  readonly code: string;

  constructor(message: string, code: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}

/** An HTTP error answered by the API in its `{message, code, extra}` shape (or coerced to it). */
export class ApiError extends AppError {
  readonly status: number;
  readonly extra: Record<string, unknown>;

  constructor(message: string, { code, status, extra = {} }: { code: string; status: number; extra?: Record<string, unknown> }) {
    super(message, code);
    this.name = 'ApiError';
    this.status = status;
    this.extra = extra;
  }
}

/** The request never got an answer (server down, offline, CORS). */
export class NetworkError extends AppError {
  constructor(message = 'Could not reach the GenreLens server. Check your connection and try again.') {
    super(message, 'network_error');
    this.name = 'NetworkError';
  }
}

/** The server answered, but not with the shape the contract promises. */
export class InvalidResponseError extends AppError {
  constructor(message: string) {
    super(message, 'invalid_response');
    this.name = 'InvalidResponseError';
  }
}

/** A file rejected in the browser before upload (a hint only: the server decides). */
export class FileCheckError extends AppError {
  constructor(message: string, code: 'unsupported_media_type' | 'file_too_large' | 'empty_file') {
    super(message, code);
    this.name = 'FileCheckError';
  }
}

/** Fallback text for codes whose server message is missing. */
const CODE_MESSAGES: Record<string, string> = {
  unsupported_media_type: 'Unsupported file type. Upload an audio file such as MP3, WAV, FLAC, OGG or M4A.',
  file_too_large: 'This file is too large to upload.',
  empty_file: 'This file is empty.',
  audio_decode_failed: 'The audio in this file could not be decoded.',
  audio_too_short: 'This track is too short to analyse.',
  audio_too_long: 'This track is too long to analyse.',
  throttled: 'Too many uploads at once. Please wait a moment and try again.',
  not_found: 'Not found.',
  not_authenticated: 'You need to sign in to do this.',
  permission_denied: 'You are not allowed to do this.',
};

/** A message fit for the user, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof AppError) {
    return error.message || CODE_MESSAGES[error.code] || 'Something went wrong.';
  }
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

/** The fallback message of a code (used when the server sends none). */
export function codeMessage(code: string): string | undefined {
  return CODE_MESSAGES[code];
}
