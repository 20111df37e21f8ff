/** The segment function's entry (lambdas/segment/Dockerfile bundles it): see src/pipeline/segment-handler.ts. */
export { segmentHandler as handler } from "../../src/pipeline/segment-handler.js";
