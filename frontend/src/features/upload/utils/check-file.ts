/**
 * Client-side checks before an upload. They only spare the user a wasted upload: the server checks
 * the real content and is the authority (a PNG renamed .mp3 passes here and is refused there).
 */
import { env } from '@/config/env';
import { FileCheckError } from '@/lib/errors';
import { fileSize } from '@/lib/format';

export const AUDIO_EXTENSIONS = ['mp3', 'wav', 'flac', 'ogg', 'oga', 'opus', 'm4a', 'aac', 'aif', 'aiff', 'wma', 'webm', 'mp4'] as const;

/** The file input's `accept` attribute. */
export const ACCEPT = ['audio/*', ...AUDIO_EXTENSIONS.map((ext) => `.${ext}`)].join(',');

export function maxUploadBytes(): number {
  return Math.round(env.MAX_UPLOAD_MB * 1024 * 1024);
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Throws a `FileCheckError` naming the problem, or returns nothing when the file may be sent. */
export function checkFile(file: File, limitBytes: number = maxUploadBytes()): void {
  const ext = extension(file.name);
  const audioMime = file.type.startsWith('audio/');
  if (!audioMime && !(AUDIO_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new FileCheckError(
      `“${file.name}” does not look like an audio file${ext ? ` (.${ext})` : ''}. Upload MP3, WAV, FLAC, OGG, Opus, M4A or AIFF.`,
      'unsupported_media_type',
    );
  }
  if (file.size === 0) {
    throw new FileCheckError(`“${file.name}” is empty.`, 'empty_file');
  }
  if (file.size > limitBytes) {
    throw new FileCheckError(
      `“${file.name}” is ${fileSize(file.size)}; the limit is ${fileSize(limitBytes)}.`,
      'file_too_large',
    );
  }
}
