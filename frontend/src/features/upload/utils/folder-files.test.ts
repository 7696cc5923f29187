import { audioFiles, chosenFiles, droppedFiles, fileDigest } from './folder-files';

/** A stand-in for the browser's FileSystemEntry tree of a dropped folder. */
function fileEntry(path: string): FileSystemFileEntry {
  const name = path.split('/').at(-1) ?? path;
  return { isFile: true, isDirectory: false, name, fullPath: `/${path}`, file: (ok: (f: File) => void) => ok(new File(['RIFF'], name)) } as unknown as FileSystemFileEntry;
}

function dirEntry(path: string, children: FileSystemEntry[]): FileSystemDirectoryEntry {
  return {
    isFile: false,
    isDirectory: true,
    name: path.split('/').at(-1),
    fullPath: `/${path}`,
    createReader: () => {
      // Two slices, then none: as Chromium answers readEntries for big folders.
      const slices = [children.slice(0, 1), children.slice(1), []];
      return { readEntries: (ok: (entries: FileSystemEntry[]) => void) => ok(slices.shift() ?? []) };
    },
  } as unknown as FileSystemDirectoryEntry;
}

function transfer(entries: FileSystemEntry[], files: File[] = []): DataTransfer {
  return { items: entries.map((entry) => ({ webkitGetAsEntry: () => entry })), files } as unknown as DataTransfer;
}

describe('folder files', () => {
  it('walks a dropped folder recursively, with paths inside it', async () => {
    const tree = dirEntry('Crate', [fileEntry('Crate/A.mp3'), dirEntry('Crate/Sub', [fileEntry('Crate/Sub/B.flac'), fileEntry('Crate/Sub/cover.jpg')])]);
    const { files, folder } = await droppedFiles(transfer([tree]));
    expect(folder).toBe('Crate');
    expect(files.map((f) => f.path)).toEqual(['Crate/A.mp3', 'Crate/Sub/B.flac', 'Crate/Sub/cover.jpg']);
    const { audio, ignored } = audioFiles(files);
    expect(audio.map((f) => f.path)).toEqual(['Crate/A.mp3', 'Crate/Sub/B.flac']);
    expect(ignored).toBe(1);
  });

  it('treats a drop of plain files as files, not a folder', async () => {
    const file = new File(['RIFF'], 'one.wav');
    const { files, folder } = await droppedFiles(transfer([fileEntry('one.wav')], [file]));
    expect(folder).toBeNull();
    expect(files).toEqual([{ file, path: 'one.wav' }]);
  });

  it("leaves out hidden and empty files, keeps the picker's relative paths", () => {
    const picked = [new File(['x'], '._A.mp3'), new File([], 'empty.wav'), new File(['x'], 'A.MP3')];
    Object.defineProperty(picked[2], 'webkitRelativePath', { value: 'Crate/A.MP3' });
    const { audio, ignored } = audioFiles(chosenFiles(picked));
    expect(audio.map((f) => f.path)).toEqual(['Crate/A.MP3']);
    expect(ignored).toBe(2);
  });

  it('digests a file as the server does (SHA-256 of its bytes, hex)', async () => {
    expect(await fileDigest(new File(['abc'], 'a.wav'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
