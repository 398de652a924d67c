/**
 * The registry of diagnostic codes. A code, once published, keeps its meaning and is never
 * reused: retire a code by leaving its entry here with `retired: true`.
 * R1xx lexing, R2xx parsing and includes, R3xx checks, R4xx code generation.
 * `docs/codes.md` is generated from this file (`npm run docs:codes`); the editor shows the
 * same description and fix on hover.
 */
export interface CodeInfo {
  /** A few words, as printed after the code. */
  readonly title: string;
  /** One sentence: what the code means. */
  readonly description: string;
  /** One sentence: what to do about it. */
  readonly fix: string;
  readonly retired?: boolean;
}

/** Every code with its title, description and fix, grouped by stage. */
export const codes = {
  // Lexing
  R101: {
    title: 'unexpected character',
    description: 'A character that no token can start, such as a control character or a stray quote in a bare word.',
    fix: 'Remove the character, or quote the word that holds it.',
  },
  R102: {
    title: 'unterminated quoted string',
    description: 'A quoted string reaches the end of its line without its closing quote.',
    fix: 'Add the closing quote on the same line (a backslash-newline inside double quotes continues it).',
  },
  R103: {
    title: 'unterminated heredoc',
    description: 'A `<<TAG` block has no line holding only its `TAG` before the end of the file or of its parent block.',
    fix: 'Add a line with the tag alone (leading blanks allowed) where the block ends.',
  },
  R104: {
    title: 'unterminated regex literal',
    description: 'A `/pattern/` after `=~` or `!~` has no closing slash on its line.',
    fix: 'Add the closing `/`, and escape any `/` inside the pattern as `\\/`.',
  },
  R105: {
    title: 'text after a heredoc opener',
    description: 'Text follows `<<TAG` on the opener line; the block is still read, the text is not.',
    fix: 'Move the text into the block body or remove it; one heredoc opener per line.',
  },

  // Parsing and includes
  R201: {
    title: 'syntax error',
    description: 'The tokens do not form a statement: a missing value, operand or name, or a word where none belongs.',
    fix: 'Rewrite the line in one of the forms of docs/language.md; the message names what was expected.',
  },
  R202: {
    title: 'key outside a section',
    description: 'A `key = value` line follows a MailLog statement or block and precedes any new `[section]` header, so it belongs to no item.',
    fix: 'Start a `[section]` above the line, or move the line into the section it belongs to.',
  },
  R203: {
    title: '`end` without `do`',
    description: 'An `end` line closes no open `do ignore` or `do filter` group.',
    fix: 'Remove the `end`, or open its group with `do ignore` or `do filter` above it.',
  },
  R204: {
    title: '`do` without `end`',
    description: 'A `do ignore` or `do filter` group is not closed by `end` before the next statement or the end of the block.',
    fix: 'Add a line `end` after the group\'s last `=~`/`!~` operand.',
  },
  R205: {
    title: 'source file not found',
    description: 'A `source` include, or the rule file itself, does not exist or cannot be read.',
    fix: 'Correct the path (relative paths are read from the including file\'s directory) or the file\'s permissions.',
  },
  R206: {
    title: 'source include cycle',
    description: 'A file includes itself, directly or through other files.',
    fix: 'Remove one `source` line of the cycle the message lists.',
  },
  R207: {
    title: 'source not allowed here',
    description: '`source` appears inside a block body, where includes are not read.',
    fix: 'Move the `source` line to the top level of the file.',
  },
  R208: {
    title: 'INI section inside a heredoc block',
    description: 'An INI header or `key = value` line appears in a heredoc body, where only directives belong.',
    fix: 'Close the block with its tag before the INI lines, or write the line as a directive (`key value`).',
  },
  R209: {
    title: 'value continued on the next line',
    description: 'An INI value ends with a backslash, so the next line is joined to it with one space.',
    fix: 'Nothing, if the join is intended; otherwise remove the trailing backslash.',
  },
  R210: {
    title: 'blocks nested too deeply',
    description: 'Heredoc blocks nest deeper than rulec reads; the body of the deepest block is skipped.',
    fix: 'Flatten the blocks: define them one after another instead of inside each other.',
  },
  R211: {
    title: 'a rulec bundle, not a rule file',
    description: 'The file is a `bundle.mjs` made by `rulec build`, given where a `.rules` file is expected.',
    fix: 'Run the bundle with `node bundle.mjs` or `rulec run bundle.mjs`, and check the `.rules` file it was built from.',
  },
  R212: {
    title: 'rule file too large',
    description: 'A rule file, or a `source` include, is larger than 2 MiB; it is not read at all, so a device or a runaway file cannot exhaust memory.',
    fix: 'Name the rule file you meant; split a real rule set this large into files joined with `source`.',
  },
  R213: {
    title: 'binary file, not a rule file',
    description: 'The file holds a NUL byte, so it is binary; it is reported once, at the first NUL, and not parsed.',
    fix: 'Name the rule file you meant (a compiled or compressed file is not one).',
  },
  R214: {
    title: 'rule file is not UTF-8',
    description: 'The file has a byte that is not part of a UTF-8 character; it is reported once, at that byte, and not parsed.',
    fix: 'Save the file as UTF-8 (for example with `iconv -f latin1 -t utf-8`).',
  },
  R215: {
    title: 'more problems not shown',
    description: 'A file has more than 100 problems; the first 100 are shown, and this one counts the rest, with the most severe level among them.',
    fix: 'Fix the problems shown first; so many usually mean the file is not a rule file, or one early mistake (an unclosed heredoc) confuses the rest.',
  },

  // Checks
  R301: {
    title: 'unknown key',
    description: 'An item, `[general]` or block holds a key or directive rulec does not know (logNOT refused these too).',
    fix: 'Correct the spelling (the note suggests the nearest key) or remove the line; docs/language.md lists the keys.',
  },
  R302: {
    title: 'missing required key',
    description: 'An item lacks a key it cannot run without, such as `path`, or a key that needs another one lacks it.',
    fix: 'Add the key the message names.',
  },
  R303: {
    title: 'invalid frequency',
    description: 'A frequency is not `N/T` with a whole count N and a period T in seconds (or with a unit such as `10m`).',
    fix: 'Write it as `count/seconds`, for example `5/60`.',
  },
  R304: {
    title: 'invalid size',
    description: 'A size is not a whole number with an optional unit `B`, `K`, `M` or `G`, or is outside the allowed range.',
    fix: 'Write it as, for example, `10M`, within the range the message gives.',
  },
  R305: {
    title: 'invalid boolean',
    description: 'A yes/no value is not one of `0`, `1`, `yes`, `no`, `true` or `false` (in any case).',
    fix: 'Use `true` or `false`.',
  },
  R306: {
    title: 'invalid number',
    description: 'A number or duration is not a whole number, or lies outside the range the key accepts.',
    fix: 'Give a whole number (with a unit where the key takes a duration) within the range the message gives.',
  },
  R307: {
    title: 'invalid regex',
    description: 'The pattern is not a valid Perl/PCRE regular expression.',
    fix: 'Correct the pattern at the marked place; escape literal metacharacters with a backslash.',
  },
  R308: {
    title: 'regex feature not translatable to JavaScript',
    description: 'The pattern uses a PCRE feature that JavaScript regexes lack (for example recursion or possessive quantifiers).',
    fix: 'Rewrite that part with features both share; docs/regex.md lists what translates.',
  },
  R309: {
    title: 'regex may backtrack catastrophically',
    description: 'Part of the pattern can match one stretch of text in exponentially many ways, so a crafted line could stall matching.',
    fix: 'Make the repeated parts unambiguous, for example `(\\w+\\s?)*` as `\\w+(?:\\s+\\w+)*`, or anchor the pattern.',
  },
  R310: {
    title: 'action references a capture group the regex lacks',
    description: 'An action or `key` names `$N` or a named group that the item\'s regex does not have.',
    fix: 'Add the group to the regex or refer to one it has.',
  },
  R311: {
    title: 'invalid action template',
    description: 'The action cannot be split into words: an unclosed quote, a stray `$`, or shell syntax outside a `shell = true` action.',
    fix: 'Quote the words correctly; for pipes, redirections or `;`, call a script, or opt in with `shell = true`.',
  },
  R312: {
    title: 'shell action: captures travel as environment variables only',
    description: 'A `shell = true` action runs under /bin/sh; captures reach it only as RULEC_0.. variables, never spliced into its text.',
    fix: 'Read captures as "$RULEC_1" (quoted) in the command, or drop `shell = true` and pass `$1` as an argument.',
  },
  R313: {
    title: 'duplicate section',
    description: 'Two `[sections]` have the same name.',
    fix: 'Rename one of them, or merge their keys.',
  },
  R314: {
    title: 'duplicate key',
    description: 'A key or directive appears twice in one section or block where only one is allowed.',
    fix: 'Keep one of the two lines.',
  },
  R315: {
    title: 'unknown block kind',
    description: 'A heredoc block names a kind that is neither built in (`command`, `monitor`, `watch`, `snort`) nor declared by a `module` line before it.',
    fix: 'Correct the kind\'s spelling, or declare it with `module NAME alias PATH` above the block.',
  },
  R316: {
    title: 'unknown directive',
    description: 'A block holds a directive its kind does not take, or a statement only another kind allows.',
    fix: 'Correct the spelling (the note suggests the nearest directive) or move the line to the right block.',
  },
  R317: {
    title: 'missing required directive',
    description: 'A block or group lacks what it cannot run without, such as a `watch` without `logfile` or an empty `do` group.',
    fix: 'Add the directive or operands the message names.',
  },
  R318: {
    title: 'wrong number of arguments',
    description: 'A statement or directive has fewer or more arguments than it takes.',
    fix: 'Give the number of arguments the message names; quote an argument that holds spaces.',
  },
  R319: {
    title: 'unknown setting',
    description: '`set` names a setting rulec does not know.',
    fix: 'Correct the name (the note suggests the nearest setting); docs/language.md lists them.',
  },
  R320: {
    title: 'key only allowed in [general]',
    description: 'A process-wide key such as `athread_count`, `uid` or `state` appears in an item.',
    fix: 'Move the key into `[general]`.',
  },
  R321: {
    title: 'invalid enumerated value',
    description: 'A key that takes one of a fixed set of words has another value, or two keys choose the same thing.',
    fix: 'Use one of the values the message lists, and keep only one of two conflicting keys.',
  },
  R322: {
    title: 'item has no action',
    description: 'An item has no up-bound, down-bound or size action, so nothing it counts could ever run.',
    fix: 'Give it an `upbound_action`, `downbound_action` or `size_action` with its frequency or size.',
  },
  R323: {
    title: 'typographic quotes read as ASCII quotes',
    description: 'Curly quotes (as word processors type them) are taken as straight quotes.',
    fix: 'Replace them with ASCII quotes `"` or `\'`.',
  },
  R324: {
    title: 'module alias redefined',
    description: 'A `module` line gives an alias that a built-in block kind or an earlier `module` line already has.',
    fix: 'Choose another alias.',
  },
  R325: {
    title: 'frequency without an action',
    description: 'A frequency is set but the action that would run when it is crossed is missing.',
    fix: 'Add the matching action (`upbound_action` for `upbound_freq`, `downbound_action` for `downbound_freq`) or remove the frequency.',
  },
  R326: {
    title: 'per-key counting with no key',
    description: '`max_keys` is set on an item that counts all its lines under one key, so it has no effect.',
    fix: 'Remove `max_keys`, or choose a key with `usecrc = true` or `key = $N`.',
  },
  R327: {
    title: 'action puts log text into code an interpreter runs',
    description: 'A capture or `$@` fills the code argument of an interpreter (`sh -c`, `perl -e`, `python -c`...), where log text would run as code.',
    fix: 'Pass the capture as a separate argument to a script, and read it there as data.',
  },
  R328: {
    title: 'action text a shell would expand is passed as it is',
    description: 'An argv action holds `~`, `*`, `$VAR` or similar that a shell would expand; without a shell they reach the program literally.',
    fix: 'Write the expanded value (for example the full path), or opt in with `shell = true` if expansion is meant.',
  },
  R329: {
    title: 'items on one path disagree on how to read it',
    description: 'Items that read the same path set `start` or `file_type` differently, but one reader serves them all.',
    fix: 'Give the items on that path the same `start` and `file_type`, or set them once in `[general]`.',
  },
  R330: {
    title: 'regex can backtrack and runs under a deadline',
    description: 'Part of the pattern can backtrack polynomially or worse, and a lookaround, back reference, `\\p{..}` or large counted repeat keeps it off V8\'s linear-time engine, so each line gets a deadline and a line past it is abandoned (counted and logged).',
    fix: 'Rewrite the named part so V8\'s linear-time engine can take the pattern (drop the lookaround or back reference, spell `\\p{L}` as a class), or make the repeat unambiguous; `rulec check --strict` fails until then.',
  },
  R331: {
    title: 'regex can backtrack, bounded by the linear-time engine',
    description: 'Part of the pattern can backtrack polynomially on a crafted line, but the pattern is inside V8\'s linear-time engine\'s subset, which finishes such a match in linear time.',
    fix: 'Nothing is needed; anchoring the pattern (`^...`) or naming the text before the repeat makes it faster still.',
  },
  R332: {
    title: 'regex too large',
    description: 'The pattern is longer than 8,192 characters or has more than 1,000 capturing groups; checking and matching such a pattern costs time out of proportion.',
    fix: 'Split it into several items or patterns, and make groups that capture nothing needed non-capturing `(?:...)`.',
  },
  R335: {
    title: 'counting windows may need more memory than allowed',
    description: 'In the worst case, every key of every item at its limit, the items\' windows would hold more than `window_memory` (`[general]`, default 1G): `max_keys` × the times each key keeps (N of `upbound_freq`, plus one with a hold-off) × 8 bytes, summed over the items.',
    fix: 'Lower `max_keys` or the count of `upbound_freq` on the items the notes name, or raise `window_memory` in `[general]` if the host has that much memory to give.',
  },
  R350: {
    title: 'bad Snort rule condition',
    description: 'A condition of a rule over Snort alerts (`gid`, `sid`, `rev`, `priority`, `classification`, `proto`, `src`, `dst`, `sport`, `dport`) holds a value of the wrong form, or none.',
    fix: 'Write numbers or ranges `N-M`, addresses or networks `address/bits`, protocol names or numbers, separated by commas or blanks; `!` before a value refuses it.',
  },
  R351: {
    title: 'key of the other kind of item',
    description: 'A Snort rule (an item with `snort = LOGDIR`, or a `rule` block) sets `path` or `regex`, a file item sets a Snort condition, or `[general]` sets `snort`.',
    fix: 'Give a Snort rule `msg` instead of `regex` and no `path`; add `snort = LOGDIR` to an item that should read alerts; set `snort` in each rule, not in `[general]`.',
  },
  R352: {
    title: 'file setting on a Snort rule',
    description: 'A key that only concerns reading a file (`size`, `start`, `file_type`, `rotate_wait`, `line_max`, `time_*`) is set on a rule over Snort alerts, where it has no effect.',
    fix: 'Remove the key from the rule.',
  },
  R353: {
    title: 'duplicate rule name',
    description: 'Two Snort `rule` blocks, or a `rule` block and an INI item, have the same name.',
    fix: 'Give each rule and item its own name.',
  },
  R354: {
    title: 'two Snort listeners on one log directory',
    description: 'Two `snort` blocks name the same `logdir`, but one listener binds its sockets.',
    fix: 'Merge the blocks: one `snort` block per log directory, with all its handlers and rules.',
  },
  R355: {
    title: 'unknown Snort handler or option',
    description: 'A `handler` line of a `snort` block names a handler rulec does not have, or an option that handler does not take.',
    fix: 'Use `json` (file=), `http` (url=, timeout=, retries=, backoff=, queue=, concurrency=), `repl` or `mail` (count=, every=, max=, mime_file=, subject=).',
  },
  R356: {
    title: 'bad Snort handler option value',
    description: 'An option of a `handler` line has a value of the wrong form: a number or duration out of its range, a URL that is not http or https, an empty value, a subject with an unknown placeholder.',
    fix: 'Write the value as the message says, e.g. `retries=3`, `timeout=10s`, `every=10m`, `url=http://127.0.0.1:8080/alerts`.',
  },
  R357: {
    title: 'mail handler without mail settings',
    description: 'A `snort` block has `handler mail`, but the rule file lacks `set to`, `set pgp` or `set smtp`, without which alerts cannot be mailed encrypted.',
    fix: 'Add the missing `set` lines (as for `rulec report`: docs/report.md), or remove the handler.',
  },
  R365: {
    title: 'ignore list unreadable or invalid',
    description: 'An `ignore_from` list of a `watch` block cannot be read, or one of its lines is not a POSIX extended regex as grep -E reads it; the block does not run.',
    fix: 'Correct the line the message points at (file:line:col), or the path of `ignore_from`.',
  },
  R366: {
    title: 'monitor action without realtime',
    description: 'A `monitor` block has an `action`, which runs only on changes that `realtime yes` sees, but the block is not realtime.',
    fix: 'Add `realtime yes` to the block, or remove the action.',
  },
  R367: {
    title: 'digest without mail settings',
    description: 'A `watch` block has `every`, so `rulec run` mails its unusual lines as encrypted digests, but the rule file lacks `set to`, `set pgp` or `set smtp`.',
    fix: 'Add the missing `set` lines (see docs/report.md), or remove `every` and run the block with `rulec report`.',
  },
  R380: {
    title: 'rule file another user can change',
    description: 'A rule file, or a file it `source`s, is owned by a user other than root and the one running rulec, or can be written by its group or by everyone, or a directory above it can (a sticky world-writable one such as /tmp is fine), or a symbolic link on its path belongs to another user. Its rules would run as whoever runs rulec, root as a rule, so it is not read (as sshd\'s StrictModes). A group the (non-root) user\'s own primary group may write is accepted.',
    fix: 'Make the file and every directory above it owned by root or by you and writable by no one else (`chown root FILE`, `chmod go-w FILE DIR`), or copy the rules to such a place.',
  },
  R381: {
    title: 'report module, pgp key or ignore list another user can change',
    description: 'A custom report module (`module Name alias PATH`, code that runs in rulec), a `set pgp` key file or an `ignore_from` list is owned by a user other than root and the one running rulec, or it or a directory above it can be written by another user, or a symbolic link on its path belongs to another user. It is refused when it is loaded, and nothing is run or sent.',
    fix: 'Make the file and every directory above it owned by root or by you and writable by no one else (`chown root FILE`, `chmod go-w FILE DIR`).',
  },
  R382: {
    title: 'problems of a private sourced file not shown',
    description: 'A file that a rule file `source`s, which not every user may read (no read bit for others on it, as /etc/shadow or a key file), has problems. They would quote its lines, and `source "/etc/shadow"` would then print password hashes, so they are counted in this one diagnostic at the `source` line instead; its level is the worst of theirs.',
    fix: 'If it is a rule file, run `rulec check` on it to see its problems (named as the entry file, its lines are shown); if it is not, remove the `source` line.',
  },
  R375: {
    title: 'logNOT setting with no effect',
    description: 'A key the real logNOT read (`separator`, `tmpdir`, `logfacility`, `logfile`, `loadtime`) that rulec accepts and ignores.',
    fix: 'Remove the line; where the note names a rulec equivalent (such as `-l FILE` for `logfile`), use that.',
  },

  // Reports (rulec report)
  R360: {
    title: 'unusable mail setting',
    description: 'A `set` value the report reads cannot be used: `smtp` is not HOST[:PORT] or holds credentials, `to` or `from` is not an address, `subject` has an unknown placeholder, or `smtp_tls` is not a known mode.',
    fix: 'Write the value in the form the message gives; SMTP credentials go in the file `set smtp_auth` names or in RULEC_SMTP_USER and RULEC_SMTP_PASSWORD.',
  },
  R361: {
    title: 'unusable attachment name',
    description: 'A `mime_file` is empty or holds a `/`, a `\\` or a control character, so it cannot name an attachment.',
    fix: 'Give a plain file name such as `ls.txt`.',
  },
  R362: {
    title: 'two attachments share a name',
    description: 'Two report blocks give the same `mime_file`, so their attachments cannot be told apart by name.',
    fix: 'Give each block its own `mime_file`.',
  },
  R363: {
    title: 'command block refers to a log line',
    description: 'A `command` block\'s `exec` holds `$N`, `${name}` or `$@`, but a command runs on no log line.',
    fix: 'Write the text itself, or single-quote a `$` that belongs to the program\'s arguments.',
  },
  R385: {
    title: 'pgp command that does not encrypt',
    description: '`set pgp` is a command that surely does not encrypt: gpg without `-e`/`--encrypt` or `-c`/`--symmetric` (such as `gpg -a -s` or `gpg --clearsign`, which only sign), or a program that prints its input (`cat`). Its attachments would leave readable; `rulec report` refuses any command output that is not an OpenPGP encrypted message anyway.',
    fix: 'Give the public key file(s) (`set pgp keys/ops.asc`) or a command that encrypts: `set pgp "gpg -a -e -r \'you@example.com\' --no-tty --batch"`.',
  },

  // Code generation
  R401: {
    title: 'code generation failed',
    description: 'The compiler could not generate or bundle the module for a checked rule file: a bug in rulec, not in the rule file.',
    fix: 'Report it with the rule file; `rulec check` still validates the file meanwhile.',
  },
} as const satisfies Record<string, CodeInfo>;

/** A known diagnostic code, such as `R301`. */
export type Code = keyof typeof codes;
