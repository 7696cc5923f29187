/**
 * A folder import: every audio file of a folder, recursively, into the library. Files are
 * hashed in the browser and the server is asked which it already analysed with the installed
 * model, so a second pass sends only what is new or changed; the rest go one at a time (the
 * server's upload rate limit is waited out, not failed). Its state says done / total, the rate,
 * the time left and each failure in one line, and how many analyses still wait in the queue.
 *
 * Folder-per-genre crates can teach the personal layer: with `teach`, each track is labelled
 * with the genre its folder is named after (skipped tracks too: the label is about the track).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '@/lib/errors';
import { KNOWN_BATCH, createAnalysis, knownAnalyses, pendingAnalyses } from '../api/upload';
import { checkFile } from '../utils/check-file';
import { audioFiles, fileDigest, type FolderFile } from '../utils/folder-files';

/** How often the queue behind the uploads is counted [ms]. */
export const PENDING_POLL_MS = 3000;
/** Files hashed, then looked up together. */
const LOOKUP_SLICE = Math.min(50, KNOWN_BATCH);
/** Rate-limited or busy answers waited out for one file before it counts as failed. */
const MAX_RETRIES = 8;

export interface FolderFailure {
  path: string;
  message: string;
}

/** Crates as labels: the genre a folder name means (null: none), and how to label a track. */
export interface CrateTeaching {
  genreOf: (folder: string) => string | null;
  label: (trackId: string, genre: string) => Promise<unknown>;
}

/** The folder a file lies in, by name ("Deep House" for "Crates/Deep House/a.mp3"). */
export function parentFolder(path: string): string {
  const parts = path.split('/');
  return parts.length > 1 ? (parts[parts.length - 2] ?? '') : '';
}

export interface FolderImport {
  folders: string[];
  /** Audio files found. */
  total: number;
  /** Other files in the folders (covers, playlists), not sent. */
  ignored: number;
  /** Already analysed by the installed model: not sent again. */
  known: number;
  /** Sent and accepted (queued, or matched on arrival). */
  sent: number;
  failed: FolderFailure[];
  /** Tracks labelled with their folder's genre (with crate teaching on). */
  labelled: number;
  /** Folder names that name no genre (their tracks stay unlabelled). */
  unmatched: string[];
  /** Analyses of this user still queued or running; null until first counted. */
  pending: number | null;
  startedAt: number;
  finishedAt: number | null;
  cancelled: boolean;
}

/** Files handled so far (skipped, sent or failed). */
export function handled(state: FolderImport): number {
  return state.known + state.sent + state.failed.length;
}

/** Files handled a second, and the seconds left at that rate (null until it can be told). */
export function pace(state: FolderImport, now: number): { rate: number | null; secondsLeft: number | null } {
  const seconds = ((state.finishedAt ?? now) - state.startedAt) / 1000;
  const done = handled(state);
  if (seconds < 1 || done === 0) return { rate: null, secondsLeft: null };
  const rate = done / seconds;
  return { rate, secondsLeft: state.finishedAt ? 0 : (state.total - done) / rate };
}

function retryDelayMs(error: unknown): number | null {
  if (!(error instanceof ApiError) || (error.status !== 429 && error.status !== 503)) return null;
  const seconds = Number(error.extra.retry_after ?? error.extra.retry_after_s ?? 5);
  return Math.min(Math.max(Number.isFinite(seconds) ? seconds : 5, 1), 120) * 1000;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = window.setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      window.clearTimeout(timer);
      reject(new DOMException('Folder import cancelled', 'AbortError'));
    });
  });
}

export function useFolderImport() {
  const [state, setState] = useState<FolderImport | null>(null);
  const queue = useRef<FolderFile[]>([]);
  const teaching = useRef<CrateTeaching | null>(null);
  const running = useRef<AbortController | null>(null);

  const patch = useCallback((change: (s: FolderImport) => Partial<FolderImport>) => {
    setState((s) => (s ? { ...s, ...change(s) } : s));
  }, []);

  const teach = useCallback(
    async (item: FolderFile, trackId: string | null | undefined) => {
      const crates = teaching.current;
      if (!crates || !trackId) return;
      const folder = parentFolder(item.path);
      const genre = crates.genreOf(folder);
      if (genre === null) {
        patch((s) => (s.unmatched.includes(folder) ? {} : { unmatched: [...s.unmatched, folder] }));
        return;
      }
      try {
        await crates.label(trackId, genre);
        patch((s) => ({ labelled: s.labelled + 1 }));
      } catch (error) {
        patch((s) => ({ failed: [...s.failed, { path: item.path, message: `sent, but not labelled: ${errorMessage(error)}` }] }));
      }
    },
    [patch],
  );

  const send = useCallback(
    async (item: FolderFile, signal: AbortSignal) => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          checkFile(item.file);
          const analysis = await createAnalysis(item.file, { signal });
          patch((s) => ({ sent: s.sent + 1 }));
          await teach(item, analysis.track?.id ?? analysis.track_id);
          return;
        } catch (error) {
          if (signal.aborted) throw error;
          const wait = retryDelayMs(error);
          if (wait === null || attempt >= MAX_RETRIES) {
            patch((s) => ({ failed: [...s.failed, { path: item.path, message: errorMessage(error) }] }));
            return;
          }
          await sleep(wait, signal);
        }
      }
    },
    [patch, teach],
  );

  const run = useCallback(
    async (signal: AbortSignal) => {
      while (queue.current.length > 0) {
        const slice = queue.current.splice(0, LOOKUP_SLICE);
        const digests = await Promise.all(slice.map(({ file }) => fileDigest(file).catch(() => null)));
        const asked = digests.filter((d): d is string => d !== null);
        const known = asked.length > 0 ? await knownAnalyses(asked, signal).catch(() => new Map<string, string>()) : new Map<string, string>();
        const skipped = digests.filter((d) => d !== null && known.has(d)).length;
        if (skipped > 0) patch((s) => ({ known: s.known + skipped }));
        for (const [i, item] of slice.entries()) {
          const digest = digests[i];
          const trackId = digest ? known.get(digest) : undefined;
          if (trackId) await teach(item, trackId);
          else await send(item, signal);
        }
      }
    },
    [patch, send, teach],
  );

  /** Add a folder's files; joins the import under way, if any (and its crate teaching). */
  const addFolder = useCallback(
    (name: string, files: FolderFile[], crates: CrateTeaching | null = null) => {
      const { audio, ignored } = audioFiles(files);
      queue.current.push(...audio);
      if (!running.current) teaching.current = crates;
      setState((s) =>
        s && !s.finishedAt
          ? { ...s, folders: [...s.folders, name], total: s.total + audio.length, ignored: s.ignored + ignored }
          : {
              folders: [name],
              total: audio.length,
              ignored,
              known: 0,
              sent: 0,
              failed: [],
              labelled: 0,
              unmatched: [],
              pending: null,
              startedAt: Date.now(),
              finishedAt: null,
              cancelled: false,
            },
      );
      if (running.current) return;
      const controller = new AbortController();
      running.current = controller;
      void run(controller.signal)
        .catch(() => undefined)
        .finally(() => {
          running.current = null;
          queue.current = [];
          patch(() => ({ finishedAt: Date.now(), cancelled: controller.signal.aborted }));
        });
    },
    [patch, run],
  );

  const cancel = useCallback(() => running.current?.abort(), []);
  const dismiss = useCallback(() => {
    running.current?.abort();
    setState(null);
  }, []);

  // Count the analyses behind the uploads until the queue is empty.
  const polling = state !== null && (state.finishedAt === null || state.pending === null || state.pending > 0);
  useEffect(() => {
    if (!polling) return undefined;
    const controller = new AbortController();
    const count = () =>
      void pendingAnalyses(controller.signal)
        .then((pending) => patch(() => ({ pending })))
        .catch(() => undefined);
    count();
    const timer = window.setInterval(count, PENDING_POLL_MS);
    return () => {
      controller.abort();
      window.clearInterval(timer);
    };
  }, [polling, patch]);

  useEffect(() => () => running.current?.abort(), []);

  return { folderImport: state, addFolder, cancel, dismiss };
}
