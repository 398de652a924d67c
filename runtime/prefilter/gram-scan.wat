;; The gram index's scan (gram-index.ts builds the tables and explains the method): for each
;; line of a batch, one 4-byte gram every `step` bytes is looked up, and each entry whose gram
;; it is gets its literal compared with the text (four bytes at a time, case folded). Where the
;; literal's item has a sequence program (sequence-program.ts), the program then decides the
;; item's regex at that occurrence. Written in WebAssembly because the probes are independent
;; loads that V8's JavaScript code runs at about half this speed (bounds and type checks on
;; every read); see bench/HISTORY.md for the figures, docs/prefilter.md for the design.
;;
;; Assembled into gram-scan-wasm.ts by `npm run wasm` (tools/wasm.ts);
;; test/runtime/prefilter/gram-scan-wasm.test.ts fails when the two disagree.
(module
  (memory (export "memory") 1)

  ;; The seen-mark of the line being scanned: a literal is reported once per line.
  (global $mark (mut i32) (i32.const 0))
  ;; Steps the programs may still take on the line being scanned (see $run).
  (global $budget (mut i32) (i32.const 0))
  ;; The programs' backtracking stack: [base, end) in memory, three i32 per entry.
  (global $stackBase (mut i32) (i32.const 0))
  (global $stackEnd (mut i32) (i32.const 0))

  ;; The index's tables, as byte offsets in memory, at `config` (fourteen i32 fields):
  ;;   0 step, 4 shift (to a slot of the occupied bits), 8 occupied bits, 12 bucket starts, 16 entry literal, 20 entry offset,
  ;;   24 entry gram, 28 literal length, 32 literal words and case masks (an offset per literal), 36 seen
  ;;   marks, 40 literal count, 44 programs (an offset per literal, 0: none), 48 and 52 the
  ;;   backtracking stack's base and end.
  ;; Lines [0, n): line k is the bytes [starts[k], ends[k]) (offsets in memory; starts[k] = -1:
  ;; no bytes here, nothing found). The literals found in line k are written to
  ;; found[offsets[k] .. offsets[k + 1]) as 2·j + 1, or 2·j when the literal's program matched
  ;; (the regex need not run); an occurrence where the program fails is not reported, so a
  ;; literal whose program fails at every occurrence is not found at all. Programs run only
  ;; when `programs` is 1 (each line is whole). Stops before a line when fewer slots than there
  ;; are literals are left before foundEnd; returns the number of lines done (offsets[done] is set).
  (func (export "scan")
    (param $config i32) (param $n i32) (param $starts i32) (param $ends i32)
    (param $offsets i32) (param $found i32) (param $foundEnd i32) (param $programs i32)
    (result i32)
    (local $step i32) (local $shift i32) (local $occupied i32) (local $bucketStart i32)
    (local $entryLiteral i32) (local $entryOffset i32) (local $entryGram i32)
    (local $literalLength i32) (local $literalWords i32) (local $seen i32) (local $literals i32)
    (local $k i32) (local $out i32) (local $mark i32)
    (local $from i32) (local $to i32) (local $at i32) (local $last i32)
    (local $gram i32) (local $slot i32) (local $e i32) (local $eEnd i32)
    (local $j i32) (local $begin i32) (local $length i32)
    (local $off i32) (local $lastWord i32) (local $expected i32)
    (local $programTable i32) (local $program i32) (local $verdict i32)
    (local.set $step (i32.load offset=0 (local.get $config)))
    (local.set $shift (i32.load offset=4 (local.get $config)))
    (local.set $occupied (i32.load offset=8 (local.get $config)))
    (local.set $bucketStart (i32.load offset=12 (local.get $config)))
    (local.set $entryLiteral (i32.load offset=16 (local.get $config)))
    (local.set $entryOffset (i32.load offset=20 (local.get $config)))
    (local.set $entryGram (i32.load offset=24 (local.get $config)))
    (local.set $literalLength (i32.load offset=28 (local.get $config)))
    (local.set $literalWords (i32.load offset=32 (local.get $config)))
    (local.set $seen (i32.load offset=36 (local.get $config)))
    (local.set $literals (i32.load offset=40 (local.get $config)))
    (local.set $programTable (i32.load offset=44 (local.get $config)))
    (global.set $stackBase (i32.load offset=48 (local.get $config)))
    (global.set $stackEnd (i32.load offset=52 (local.get $config)))
    (local.set $out (local.get $found))
    (local.set $mark (global.get $mark))
    (block $done
      (loop $lines
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (br_if $done (i32.lt_u (i32.sub (local.get $foundEnd) (local.get $out)) (i32.shl (local.get $literals) (i32.const 2))))
        (i32.store (i32.add (local.get $offsets) (i32.shl (local.get $k) (i32.const 2)))
                   (i32.shr_u (i32.sub (local.get $out) (local.get $found)) (i32.const 2)))
        (local.set $from (i32.load (i32.add (local.get $starts) (i32.shl (local.get $k) (i32.const 2)))))
        (if (i32.ge_s (local.get $from) (i32.const 0))
          (then
            (local.set $mark (i32.add (local.get $mark) (i32.const 1)))
            (if (i32.eqz (local.get $mark))
              (then
                (memory.fill (local.get $seen) (i32.const 0) (i32.shl (local.get $literals) (i32.const 2)))
                (local.set $mark (i32.const 1))))
            (local.set $to (i32.load (i32.add (local.get $ends) (i32.shl (local.get $k) (i32.const 2)))))
            ;; Programs backtrack at most this much on one line; beyond it the regex decides.
            (global.set $budget (i32.add (i32.shl (i32.sub (local.get $to) (local.get $from)) (i32.const 3)) (i32.const 256)))
            (local.set $at (local.get $from))
            (local.set $last (i32.sub (local.get $to) (i32.const 4)))
            (block $probesDone
              (loop $probes
                (br_if $probesDone (i32.gt_s (local.get $at) (local.get $last)))
                ;; OR 0x20 per byte folds ASCII case (and a few other pairs: settled below).
                (local.set $gram (i32.or (i32.load (local.get $at)) (i32.const 0x20202020)))
                (local.set $slot (i32.shr_u (i32.mul (local.get $gram) (i32.const 0x9e3779b1)) (local.get $shift)))
                (if (i32.and
                      (i32.load (i32.add (local.get $occupied) (i32.shl (i32.shr_u (local.get $slot) (i32.const 5)) (i32.const 2))))
                      (i32.shl (i32.const 1) (local.get $slot)))
                  (then
                    ;; The bucket: the slot without its two finer bits (FINER_BITS in gram-index.ts).
                    (local.set $slot (i32.shr_u (local.get $slot) (i32.const 2)))
                    (local.set $e (i32.load (i32.add (local.get $bucketStart) (i32.shl (local.get $slot) (i32.const 2)))))
                    (local.set $eEnd (i32.load offset=4 (i32.add (local.get $bucketStart) (i32.shl (local.get $slot) (i32.const 2)))))
                    (block $entriesDone
                      (loop $entries
                        (br_if $entriesDone (i32.ge_u (local.get $e) (local.get $eEnd)))
                        (block $next
                          (br_if $next (i32.ne (i32.load (i32.add (local.get $entryGram) (i32.shl (local.get $e) (i32.const 2)))) (local.get $gram)))
                          (local.set $j (i32.load (i32.add (local.get $entryLiteral) (i32.shl (local.get $e) (i32.const 2)))))
                          (br_if $next (i32.eq (i32.load (i32.add (local.get $seen) (i32.shl (local.get $j) (i32.const 2)))) (local.get $mark)))
                          (local.set $begin (i32.sub (local.get $at) (i32.load (i32.add (local.get $entryOffset) (i32.shl (local.get $e) (i32.const 2))))))
                          (local.set $length (i32.load (i32.add (local.get $literalLength) (i32.shl (local.get $j) (i32.const 2)))))
                          (br_if $next (i32.lt_s (local.get $begin) (local.get $from)))
                          (br_if $next (i32.gt_s (i32.add (local.get $begin) (local.get $length)) (local.get $to)))
                          ;; Word by word; the last word is the literal's last four bytes.
                          (local.set $expected (i32.load (i32.add (local.get $literalWords) (i32.shl (local.get $j) (i32.const 2)))))
                          (local.set $lastWord (i32.sub (local.get $length) (i32.const 4)))
                          (local.set $off (i32.const 0))
                          (loop $compare
                            (if (i32.gt_s (local.get $off) (local.get $lastWord)) (then (local.set $off (local.get $lastWord))))
                            ;; The text's word with 0x20 set where the literal has a letter
                            ;; (its case mask, the next word): only the letter's two cases match.
                            (br_if $next (i32.ne (i32.or (i32.load (i32.add (local.get $begin) (local.get $off))) (i32.load offset=4 (local.get $expected)))
                                                 (i32.load (local.get $expected))))
                            (local.set $expected (i32.add (local.get $expected) (i32.const 8)))
                            (local.set $off (i32.add (local.get $off) (i32.const 4)))
                            (br_if $compare (i32.lt_s (local.get $off) (i32.add (local.get $lastWord) (i32.const 4)))))
                          ;; 1: the regex decides; 0: the program matched; an occurrence it fails at is passed over.
                          (local.set $verdict (i32.const 1))
                          (local.set $program (i32.load (i32.add (local.get $programTable) (i32.shl (local.get $j) (i32.const 2)))))
                          (if (i32.and (local.get $programs) (i32.ne (local.get $program) (i32.const 0)))
                            (then
                              (local.set $verdict (call $run (i32.load (local.get $program)) (local.get $begin) (local.get $from) (local.get $to) (i32.const 0)))
                              ;; Most anchors are the pattern's first part: then nothing is read backwards.
                              (if (i32.and (i32.eq (local.get $verdict) (i32.const 1)) (i32.ne (i32.load (i32.load offset=4 (local.get $program))) (i32.const 0)))
                                (then (local.set $verdict (call $run (i32.load offset=4 (local.get $program)) (local.get $begin) (local.get $from) (local.get $to) (i32.const 1)))))
                              (br_if $next (i32.eqz (local.get $verdict)))
                              (local.set $verdict (i32.ne (local.get $verdict) (i32.const 1)))))
                          (i32.store (i32.add (local.get $seen) (i32.shl (local.get $j) (i32.const 2))) (local.get $mark))
                          (i32.store (local.get $out) (i32.or (i32.shl (local.get $j) (i32.const 1)) (local.get $verdict)))
                          (local.set $out (i32.add (local.get $out) (i32.const 4))))
                        (local.set $e (i32.add (local.get $e) (i32.const 1)))
                        (br $entries)))))
                (local.set $at (i32.add (local.get $at) (local.get $step)))
                (br $probes)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $lines)))
    (i32.store (i32.add (local.get $offsets) (i32.shl (local.get $k) (i32.const 2)))
               (i32.shr_u (i32.sub (local.get $out) (local.get $found)) (i32.const 2)))
    (global.set $mark (local.get $mark))
    (local.get $k))

  ;; Runs one half of a sequence program from `pos`: forwards (`back` 0) the parts from the
  ;; anchor on, backwards (`back` 1) the parts before it, last first. The line is [from, to).
  ;; Returns 1 when the parts can spell text there, 0 when they cannot, -1 when the line's
  ;; budget or the stack ran out first (then the regex decides). Parts, in i32 words:
  ;;   0                                  done
  ;;   1 length bytes...                  text (bytes padded to a word)
  ;;   2 min max mode w0 .. w7            a run of min..max characters whose codes are set
  ;;                                      bits of w0..w7; mode 0 tries every length (longest
  ;;                                      first), 1 takes only the longest, 2 only min
  ;;   3, 4                               the line's start, its end
  ;; Modes 1 and 2 are set where no other length could lead to a match (sequence-program.ts),
  ;; so most programs never backtrack.
  (func $run (param $ip i32) (param $pos i32) (param $from i32) (param $to i32) (param $back i32) (result i32)
    (local $op i32) (local $length i32) (local $start i32) (local $i i32)
    (local $min i32) (local $limit i32) (local $run i32) (local $at i32) (local $byte i32)
    (local $sp i32) (local $entry i32) (local $room i32)
    (if (i32.lt_s (global.get $budget) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $sp (global.get $stackBase))
    (loop $step
      (block $fail
        (local.set $op (i32.load (local.get $ip)))
        (if (i32.eqz (local.get $op)) (then (return (i32.const 1))))
        (if (i32.eq (local.get $op) (i32.const 1))
          (then
            (local.set $length (i32.load offset=4 (local.get $ip)))
            (local.set $start (select (i32.sub (local.get $pos) (local.get $length)) (local.get $pos) (local.get $back)))
            (br_if $fail (i32.lt_s (local.get $start) (local.get $from)))
            (br_if $fail (i32.gt_s (i32.add (local.get $start) (local.get $length)) (local.get $to)))
            (local.set $i (i32.const 0))
            (block $same
              (loop $words
                (br_if $same (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $length)))
                (br_if $fail (i32.ne (i32.load (i32.add (local.get $start) (local.get $i)))
                                     (i32.load offset=8 (i32.add (local.get $ip) (local.get $i)))))
                (local.set $i (i32.add (local.get $i) (i32.const 4)))
                (br $words)))
            (block $same
              (loop $bytes
                (br_if $same (i32.ge_s (local.get $i) (local.get $length)))
                (br_if $fail (i32.ne (i32.load8_u (i32.add (local.get $start) (local.get $i)))
                                     (i32.load8_u offset=8 (i32.add (local.get $ip) (local.get $i)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $bytes)))
            (local.set $pos (select (local.get $start) (i32.add (local.get $start) (local.get $length)) (local.get $back)))
            (local.set $ip (i32.add (local.get $ip) (i32.add (i32.const 8) (i32.and (i32.add (local.get $length) (i32.const 3)) (i32.const -4)))))
            (br $step)))
        (if (i32.eq (local.get $op) (i32.const 2))
          (then
            (local.set $min (i32.load offset=4 (local.get $ip)))
            (local.set $limit (select (local.get $min) (i32.load offset=8 (local.get $ip)) (i32.eq (i32.load offset=12 (local.get $ip)) (i32.const 2))))
            ;; The line's room in the reading direction caps the run, so the loops below test
            ;; one bound; a loop per direction keeps the per-character work to two loads.
            (local.set $room (select (i32.sub (local.get $pos) (local.get $from)) (i32.sub (local.get $to) (local.get $pos)) (local.get $back)))
            (if (i32.lt_u (local.get $room) (local.get $limit)) (then (local.set $limit (local.get $room))))
            (local.set $run (i32.const 0))
            ;; A code's bit: word code >> 5 (at byte offset (code >> 3) & 0x1c), bit code & 31.
            (if (local.get $back)
              (then
                (local.set $at (i32.sub (local.get $pos) (i32.const 1)))
                (block $ended
                  (loop $chars
                    (br_if $ended (i32.ge_u (local.get $run) (local.get $limit)))
                    (local.set $byte (i32.load8_u (i32.sub (local.get $at) (local.get $run))))
                    (br_if $ended (i32.eqz (i32.and (i32.const 1) (i32.shr_u
                      (i32.load offset=16 (i32.add (local.get $ip) (i32.and (i32.shr_u (local.get $byte) (i32.const 3)) (i32.const 0x1c))))
                      (local.get $byte)))))
                    (local.set $run (i32.add (local.get $run) (i32.const 1)))
                    (br $chars))))
              (else
                (block $ended
                  (loop $chars
                    (br_if $ended (i32.ge_u (local.get $run) (local.get $limit)))
                    (local.set $byte (i32.load8_u (i32.add (local.get $pos) (local.get $run))))
                    (br_if $ended (i32.eqz (i32.and (i32.const 1) (i32.shr_u
                      (i32.load offset=16 (i32.add (local.get $ip) (i32.and (i32.shr_u (local.get $byte) (i32.const 3)) (i32.const 0x1c))))
                      (local.get $byte)))))
                    (local.set $run (i32.add (local.get $run) (i32.const 1)))
                    (br $chars)))))
            (global.set $budget (i32.sub (global.get $budget) (local.get $run)))
            (br_if $fail (i32.lt_u (local.get $run) (local.get $min)))
            (if (i32.and (i32.eqz (i32.load offset=12 (local.get $ip))) (i32.gt_u (local.get $run) (local.get $min)))
              (then
                (if (i32.ge_u (local.get $sp) (global.get $stackEnd)) (then (return (i32.const -1))))
                (i32.store (local.get $sp) (local.get $ip))
                (i32.store offset=4 (local.get $sp) (local.get $pos))
                (i32.store offset=8 (local.get $sp) (local.get $run))
                (local.set $sp (i32.add (local.get $sp) (i32.const 12)))))
            (local.set $pos (select (i32.sub (local.get $pos) (local.get $run)) (i32.add (local.get $pos) (local.get $run)) (local.get $back)))
            (local.set $ip (i32.add (local.get $ip) (i32.const 48)))
            (br $step)))
        (if (i32.eq (local.get $op) (i32.const 3))
          (then
            (br_if $fail (i32.ne (local.get $pos) (local.get $from)))
            (local.set $ip (i32.add (local.get $ip) (i32.const 4)))
            (br $step)))
        (br_if $fail (i32.ne (local.get $pos) (local.get $to)))
        (local.set $ip (i32.add (local.get $ip) (i32.const 4)))
        (br $step))
      ;; A part failed: the latest run with a choice left gives up one character.
      (loop $backtrack
        (if (i32.lt_s (global.get $budget) (i32.const 0)) (then (return (i32.const -1))))
        (if (i32.eq (local.get $sp) (global.get $stackBase)) (then (return (i32.const 0))))
        (local.set $entry (i32.sub (local.get $sp) (i32.const 12)))
        (local.set $ip (i32.load (local.get $entry)))
        (local.set $run (i32.sub (i32.load offset=8 (local.get $entry)) (i32.const 1)))
        (if (i32.lt_s (local.get $run) (i32.load offset=4 (local.get $ip)))
          (then
            (local.set $sp (local.get $entry))
            (br $backtrack)))
        (i32.store offset=8 (local.get $entry) (local.get $run))
        (global.set $budget (i32.sub (global.get $budget) (i32.const 1)))
        (local.set $pos (i32.load offset=4 (local.get $entry)))
        (local.set $pos (select (i32.sub (local.get $pos) (local.get $run)) (i32.add (local.get $pos) (local.get $run)) (local.get $back)))
        (local.set $ip (i32.add (local.get $ip) (i32.const 48)))
        (br $step)))
    (unreachable))
)
