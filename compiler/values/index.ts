export type { ValueResult } from './value-result.js';
export { parseFrequency } from './frequency.js';
export { parseSize } from './size.js';
export { parseBoolean } from './boolean.js';
export { parseInteger } from './integer.js';
export { parseDuration } from './duration.js';
