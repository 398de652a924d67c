/**
 * chevrotain's runtime values, from the package's own single-file build. Its package entry
 * (`lib/src/api.js`) imports lodash-es whole, about 640 modules: 0.4–1 s of every command that
 * parses on a busy host, against 30–80 ms for `lib/chevrotain.mjs`, the same code in one file
 * (measured). The package's exports map names only the entry, so the file is found beside it.
 * Types still come from 'chevrotain' itself (`import type`).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

const entry = createRequire(import.meta.url).resolve('chevrotain');
const chevrotain = (await import(new URL('../chevrotain.mjs', pathToFileURL(entry)).href)) as Chevrotain;

export const { CstParser, Lexer, createToken } = chevrotain;
