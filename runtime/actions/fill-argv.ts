import type { ActionSpec, Captures } from '../contract.js';

/**
 * Log text as an argv word or environment value: a NUL byte, which neither can hold, becomes
 * U+FFFD. Refusing the action instead would let anyone who can put a NUL into a logged field
 * keep their own ban or alert from ever starting.
 */
function passable(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
}

/**
 * The argv an action runs with. Without a shell, each word is its parts joined, with `$N` and
 * `$@` replaced ONCE by the capture or the line (the result is never scanned again, so log text
 * containing `$1` stays as written); an undefined or missing capture is the empty string. With
 * `shell: true`, the command goes to `/bin/sh -c` untouched: captures travel in the environment.
 */
export function fillArgv(spec: ActionSpec, captures: Captures, line: string): string[] {
  if (spec.shell) return ['/bin/sh', '-c', spec.command];
  const argv: string[] = [];
  for (const word of spec.argv) {
    let text = '';
    for (const part of word) {
      if (part.kind === 'text') text += part.text;
      else if (part.kind === 'line') text += passable(line);
      else text += passable(captures[part.index] ?? '');
    }
    argv.push(text);
  }
  return argv;
}

/**
 * The variables added to an action's environment: the request's own (`RULEC_ITEM`...), plus for
 * a shell action every capture as `RULEC_0..RULEC_n` (undefined as empty) and the line as `RULEC_LINE`.
 */
export function actionEnv(
  spec: ActionSpec,
  captures: Captures,
  line: string,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = { ...extra };
  if (!spec.shell) return env;
  captures.forEach((value, i) => {
    env[`RULEC_${i}`] = passable(value ?? '');
  });
  env.RULEC_LINE = passable(line);
  return env;
}
