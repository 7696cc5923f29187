/**
 * The audio files of a chosen or dropped folder, found recursively, and each file's content
 * digest (the server's de-duplication key), so a folder import can skip what is already analysed.
 */
import { AUDIO_EXTENSIONS } from './check-file';

/** Whether a file name has one of the audio extensions the server decodes. */
export function isAudioName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && (AUDIO_EXTENSIONS as readonly string[]).includes(name.slice(dot + 1).toLowerCase());
}

/** A file of a folder and where it lies in it ("Crate/Track.mp3"). */
export interface FolderFile {
  file: File;
  path: string;
}

/** The files a folder input chose, with their paths inside the folder. */
export function chosenFiles(files: File[]): FolderFile[] {
  return files.map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/** A folder's audio files (hidden files such as macOS's "._Track.mp3" left out) and how many others. */
export function audioFiles(files: FolderFile[]): { audio: FolderFile[]; ignored: number } {
  const audio = files.filter(({ file }) => !file.name.startsWith('.') && isAudioName(file.name) && file.size > 0);
  return { audio, ignored: files.length - audio.length };
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries answers in slices (100 in Chromium) until it answers none.
  return new Promise((resolve, reject) => {
    const found: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((entries) => {
        if (entries.length === 0) resolve(found);
        else {
          found.push(...entries);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, into: FolderFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    into.push({ file, path: entry.fullPath.replace(/^\//, '') });
  } else if (entry.isDirectory) {
    for (const child of await readAll((entry as FileSystemDirectoryEntry).createReader())) await walk(child, into);
  }
}

/**
 * The files of a drop, folders walked recursively; `folder` names the first dropped folder, or
 * is null when only files were dropped (they then go to the ordinary upload list).
 */
export async function droppedFiles(transfer: DataTransfer): Promise<{ files: FolderFile[]; folder: string | null }> {
  const entries = Array.from(transfer.items ?? [])
    .map((item) => (typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null))
    .filter((entry): entry is FileSystemEntry => entry !== null);
  const folder = entries.find((entry) => entry.isDirectory);
  if (!folder) return { files: chosenFiles(Array.from(transfer.files)), folder: null };
  const files: FolderFile[] = [];
  for (const entry of entries) await walk(entry, files);
  return { files, folder: folder.name };
}

/** The SHA-256 of a file's bytes, hex, or null where the browser offers no Web Crypto (plain http). */
export async function fileDigest(file: File): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await globalThis.crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
