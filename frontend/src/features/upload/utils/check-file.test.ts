import { FileCheckError } from '@/lib/errors';
import { checkFile } from './check-file';

function file(name: string, size: number, type = ''): File {
  return new File([new Uint8Array(size)], name, { type });
}

describe('checkFile (a hint; the server decides)', () => {
  it('accepts audio by extension or MIME type', () => {
    expect(() => checkFile(file('a.mp3', 10))).not.toThrow();
    expect(() => checkFile(file('noext', 10, 'audio/flac'))).not.toThrow();
    expect(() => checkFile(file('A.FLAC', 10))).not.toThrow();
  });

  it('refuses other types with a message naming the file', () => {
    expect(() => checkFile(file('notes.txt', 10, 'text/plain'))).toThrow(/“notes.txt” does not look like an audio file \(.txt\)/);
    try {
      checkFile(file('cover.png', 10, 'image/png'));
    } catch (error) {
      expect(error).toBeInstanceOf(FileCheckError);
      expect((error as FileCheckError).code).toBe('unsupported_media_type');
    }
  });

  it('refuses an empty file', () => {
    expect(() => checkFile(file('a.wav', 0))).toThrow(/is empty/);
  });

  it('accepts a file at the limit and refuses one byte more', () => {
    expect(() => checkFile(file('a.wav', 1000), 1000)).not.toThrow();
    expect(() => checkFile(file('a.wav', 1001), 1000)).toThrow(FileCheckError);
  });
});
