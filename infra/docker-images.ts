/**
 * Where the two images are built from. Both build from the repository root (they need
 * package.json, package-lock.json, src/ and the default model); the root .dockerignore keeps that
 * context to what the Dockerfiles copy. Both run on x86_64: the Lambda function's architecture and
 * the GPU instances'.
 */
import { fileURLToPath } from "node:url";
import { Platform } from "aws-cdk-lib/aws-ecr-assets";
import type { DockerImageAssetOptions } from "aws-cdk-lib/aws-ecr-assets";

export const BUILD_CONTEXT = fileURLToPath(new URL("..", import.meta.url));

export const SEGMENT_DOCKERFILE = "lambdas/segment/Dockerfile";
export const TRAINING_DOCKERFILE = "training-container/Dockerfile";

/** Image asset options for the Dockerfile at `file`, relative to BUILD_CONTEXT. */
export function imageOptions(file: string): DockerImageAssetOptions {
  return { file, platform: Platform.LINUX_AMD64 };
}
