export { FileTailer } from './file-tailer.js';
export { createCheckpointStore } from './checkpoint-store.js';
export { LineSplitter } from './line-splitter.js';
export { DEFAULT_LINE_MAX, DEFAULT_ROTATE_WAIT } from './types.js';
export type {
  AsciiLineBytes,
  Checkpoint,
  CheckpointLoad,
  CheckpointStore,
  Fingerprint,
  LineBatchInfo,
  TailHandlers,
  TailNotice,
  TailOptions,
} from './types.js';
