export { FileTailer } from './file-tailer.js';
export { createCheckpointStore } from './checkpoint-store.js';
export { LineSplitter } from './line-splitter.js';
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
