;; The gram index's scan (gram-index.ts builds the tables and explains the method): for each
;; line of a batch, one 4-byte gram every `step` bytes is looked up, and each entry whose gram
;; it is gets its literal compared with the text (lower-cased four bytes at a time). Written in
;; WebAssembly because the probes are independent loads that V8's JavaScript code runs at about
;; half this speed (bounds and type checks on every read); see docs/engine.md for the figures.
;;
;; Assembled into gram-scan-wasm.ts by test/runtime/prefilter/gram-scan-wasm.test.ts
;; (UPDATE_WASM=1), which also checks that the two agree.
(module
  (memory (export "memory") 1)

  ;; The seen-mark of the line being scanned: a literal is reported once per line.
  (global $mark (mut i32) (i32.const 0))

  ;; The index's tables, as byte offsets in memory, at `config` (eleven i32 fields):
  ;;   0 step, 4 shift, 8 occupied bits, 12 bucket starts, 16 entry literal, 20 entry offset,
  ;;   24 entry gram, 28 literal length, 32 literal words (an offset per literal), 36 seen
  ;;   marks, 40 literal count.
  ;; Lines [0, n): line k is the bytes [starts[k], ends[k]) (offsets in memory; starts[k] = -1:
  ;; no bytes here, nothing found). The literals found in line k are written to
  ;; found[offsets[k] .. offsets[k + 1]). Stops before a line when fewer slots than there are
  ;; literals are left before foundEnd; returns the number of lines done (offsets[done] is set).
  (func (export "scan")
    (param $config i32) (param $n i32) (param $starts i32) (param $ends i32)
    (param $offsets i32) (param $found i32) (param $foundEnd i32)
    (result i32)
    (local $step i32) (local $shift i32) (local $occupied i32) (local $bucketStart i32)
    (local $entryLiteral i32) (local $entryOffset i32) (local $entryGram i32)
    (local $literalLength i32) (local $literalWords i32) (local $seen i32) (local $literals i32)
    (local $k i32) (local $out i32) (local $mark i32)
    (local $from i32) (local $to i32) (local $at i32) (local $last i32)
    (local $gram i32) (local $slot i32) (local $e i32) (local $eEnd i32)
    (local $j i32) (local $begin i32) (local $length i32) (local $word i32) (local $low7 i32)
    (local $off i32) (local $lastWord i32) (local $expected i32)
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
                            (local.set $word (i32.load (i32.add (local.get $begin) (local.get $off))))
                            ;; Four ASCII bytes lower-cased at once: a byte's top bit comes out set
                            ;; when it is >= `A` (its low seven bits plus 0x3F carry into bit 7) and
                            ;; not > `Z` (plus 0x25 does not), for bytes below 0x80 only; shifted
                            ;; down to 0x20 it is the case bit.
                            (local.set $low7 (i32.and (local.get $word) (i32.const 0x7f7f7f7f)))
                            (local.set $word
                              (i32.or (local.get $word)
                                (i32.shr_u
                                  (i32.and
                                    (i32.and (i32.add (local.get $low7) (i32.const 0x3f3f3f3f))
                                             (i32.xor (i32.add (local.get $low7) (i32.const 0x25252525)) (i32.const -1)))
                                    (i32.and (i32.xor (local.get $word) (i32.const -1)) (i32.const 0x80808080)))
                                  (i32.const 2))))
                            (br_if $next (i32.ne (local.get $word) (i32.load (local.get $expected))))
                            (local.set $expected (i32.add (local.get $expected) (i32.const 4)))
                            (local.set $off (i32.add (local.get $off) (i32.const 4)))
                            (br_if $compare (i32.lt_s (local.get $off) (i32.add (local.get $lastWord) (i32.const 4)))))
                          (i32.store (i32.add (local.get $seen) (i32.shl (local.get $j) (i32.const 2))) (local.get $mark))
                          (i32.store (local.get $out) (local.get $j))
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
)
