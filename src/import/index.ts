/**
 * The recognizer of services' backup-code files and pastes: text in, codes out (docs/formats.md).
 * Pure: no I/O, no clock; it depends on `src/domain` only.
 */
export { recognize } from './recognize.js';
export { SERVICE_NAMES } from './recognition.js';
export type {
  AmbiguousRecognition,
  Candidate,
  ConfidentRecognition,
  NoRecognition,
  Reading,
  Recognition,
  RecognizeOptions,
  ServiceId,
} from './recognition.js';
