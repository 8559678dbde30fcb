;; The flat engine's WebAssembly SIMD scan: for each stored row, out[row] = data[row] · query (float32).
;; Compiled by `npm run wasm` (wabt) into scan-wasm.generated.ts, which vector-math.ts instantiates;
;; tests/unit/scan-wasm.test.ts fails when the two disagree. Edit this file, never the generated one.
;;
;; Layout (byte offsets into the imported memory): `rows` rows of `rowBytes` bytes from `data`, one query
;; row of `rowBytes` bytes at `query`, and `rows` float32 results written from `out`. `rowBytes` must be a
;; multiple of 64 (dim a multiple of 16): the inner loop takes 64 bytes (four f32x4 vectors) a step.
(module
  (import "env" "memory" (memory 1))

  (func $scan (export "scan")
    (param $data i32) (param $rows i32) (param $rowBytes i32) (param $query i32) (param $out i32)
    (local $rowEnd i32) ;; where the current row stops
    (local $q i32)      ;; the read position in the query, in step with $data
    (local $stop i32)   ;; the end of the last row
    ;; Four partial sums, so four multiply-adds are in flight at once.
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)

    (local.set $stop (i32.add (local.get $data) (i32.mul (local.get $rows) (local.get $rowBytes))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $data) (local.get $stop)))
        (local.set $rowEnd (i32.add (local.get $data) (local.get $rowBytes)))
        (local.set $q (local.get $query))
        (local.set $acc3
          (local.tee $acc2 (local.tee $acc1 (local.tee $acc0 (v128.const i32x4 0 0 0 0)))))

        ;; 1. Multiply-add the row against the query, 64 bytes a step.
        (block $rowDone
          (loop $step
            (br_if $rowDone (i32.ge_u (local.get $data) (local.get $rowEnd)))
            (local.set $acc0 (f32x4.add (local.get $acc0)
              (f32x4.mul (v128.load (local.get $data)) (v128.load (local.get $q)))))
            (local.set $acc1 (f32x4.add (local.get $acc1)
              (f32x4.mul (v128.load offset=16 (local.get $data)) (v128.load offset=16 (local.get $q)))))
            (local.set $acc2 (f32x4.add (local.get $acc2)
              (f32x4.mul (v128.load offset=32 (local.get $data)) (v128.load offset=32 (local.get $q)))))
            (local.set $acc3 (f32x4.add (local.get $acc3)
              (f32x4.mul (v128.load offset=48 (local.get $data)) (v128.load offset=48 (local.get $q)))))
            (local.set $data (i32.add (local.get $data) (i32.const 64)))
            (local.set $q (i32.add (local.get $q) (i32.const 64)))
            (br $step)))

        ;; 2. Sum the accumulators, then their four lanes, into out[row]. NOTE: float32 sums in this order
        ;; stay within the float32 error bound (`margin`) FlatIndex allows before it rescores in float64.
        (local.set $acc0 (f32x4.add
          (f32x4.add (local.get $acc0) (local.get $acc1))
          (f32x4.add (local.get $acc2) (local.get $acc3))))
        (f32.store (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $row)))))
