/**
 * One slide's annotations, shared by the annotation and scoring tests: two crossings, a touching
 * place and an uncertain one.
 */
import type { SlideAnnotation } from "../../src/evaluate/slide-annotations.js";

export const annotation: SlideAnnotation = {
  image: "slide.tif",
  chromosomeCount: 46,
  crossings: [
    { x: 20, y: 20 },
    { x: 80, y: 20 },
  ],
  touching: [{ x: 50, y: 50 }],
  uncertain: [{ x: 10, y: 50 }],
};
