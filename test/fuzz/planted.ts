/**
 * A planted defect for the fuzzer's own test: a TypeError three nested comparisons deep. Blind mutation needs about
 * 400³ tries to reach it; coverage guidance keeps each input that passes one more comparison and needs about 3 × 400.
 */
export function planted(data: Uint8Array): void {
  if (data[0] === 0x7b) {
    if (data[1] === 0x5b) {
      if (data[2] === 0x22) {
        throw new TypeError('the planted defect');
      }
    }
  }
}
