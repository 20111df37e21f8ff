/**
 * Rounds to the nearest integer, halves to the even one: OpenCV's cvRound (the processor's
 * default rounding mode) and Python 3's round() on floats. Math.round rounds halves up instead.
 */
export function roundHalfEven(value: number): number {
  const rounded = Math.round(value);
  return rounded - value === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}
