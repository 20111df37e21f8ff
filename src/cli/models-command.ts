import { S3Client } from "@aws-sdk/client-s3";
import { Command } from "commander";
import { UserError } from "../errors.js";
import { MODELS_PREFIX } from "../pipeline/bucket-layout.js";
import { startLocalBucket } from "../pipeline/local-bucket.js";
import { MODEL_POINTER_KEY } from "../pipeline/model-pointer.js";
import { ModelRegistry, QUALITY_GATE_TOLERANCE } from "../pipeline/model-registry.js";
import { percent, table } from "../format.js";
import { SETTINGS } from "../settings.js";
import { examples, positive } from "./options.js";

interface BucketFlags {
  bucket?: string;
  endpointUrl?: string;
  /** The local bucket's folder (chromoseg local's --data). */
  local?: string;
}

export function modelsCommand(): Command {
  const models = new Command("models")
    .summary("list and promote the model versions in a bucket")
    .description(
      `The model versions under ${MODELS_PREFIX} in a chromoseg bucket (AWS, or the local one of chromoseg local), and the ` +
        `pointer ${MODEL_POINTER_KEY} that names the one the segment function uses. Credentials, region and endpoint ` +
        "come from the standard AWS configuration (profile, environment); --endpoint-url points at another S3.",
    );
  models
    .command("list")
    .description("every version with its test mean IoU and date; * marks the one in use")
    .option("--bucket <name>", "the bucket")
    .option("--endpoint-url <url>", "an S3 endpoint other than AWS's (path-style)")
    .option("--local [dir]", "the local bucket of chromoseg local (its --data folder)")
    .addHelpText(
      "after",
      examples(
        "chromoseg models list --bucket chromoseg-data-123",
        "chromoseg models list --local",
      ),
    )
    .action(async (flags: BucketFlags) => {
      const versions = await withRegistry(flags, (registry) => registry.list());
      if (!versions.length) {
        console.log("no model versions");
        return;
      }
      console.log(
        table([
          ["", "version", "test mean IoU", "created", "sha256"],
          ...versions.map((v) => [
            v.current ? "*" : "",
            v.version,
            percent(v.testMeanIoU, 2),
            v.createdAt,
            v.sha256.slice(0, 12),
          ]),
        ]),
      );
    });
  models
    .command("promote")
    .description(
      `point ${MODEL_POINTER_KEY} at a version (also to roll back); refused when its test mean IoU is below the ` +
        "current one's by more than --tolerance, unless --force",
    )
    .argument("<version>", "a version listed by chromoseg models list")
    .requiredOption("--bucket <name>", "the bucket")
    .option("--endpoint-url <url>", "an S3 endpoint other than AWS's (path-style)")
    .option(
      "--tolerance <fraction>",
      "how much worse (0–1) a version may be",
      positive(true),
      QUALITY_GATE_TOLERANCE,
    )
    .option("--force", "skip the quality gate")
    .addHelpText(
      "after",
      examples("chromoseg models promote 2026-11-20T03-00-00Z --bucket chromoseg-data-123 --force"),
    )
    .action(
      async (version: string, flags: BucketFlags & { tolerance: number; force?: boolean }) => {
        const outcome = await withRegistry(flags, (registry) => registry.promote(version, flags));
        if (!outcome.promoted) throw new UserError(`${version} not promoted: ${outcome.reason}`);
        console.log(`${MODEL_POINTER_KEY} now names ${version} (${outcome.reason})`);
      },
    );
  return models;
}

/** Runs `use` on the registry of the bucket the flags name: on AWS, at an endpoint, or local. */
async function withRegistry<T>(
  flags: BucketFlags,
  use: (registry: ModelRegistry) => Promise<T>,
): Promise<T> {
  if (flags.local !== undefined) {
    const directory = typeof flags.local === "string" ? flags.local : SETTINGS.localBucketDir;
    const local = await startLocalBucket({ directory, port: 0 });
    const s3 = local.client();
    try {
      return await use(new ModelRegistry(s3, local.bucket));
    } finally {
      s3.destroy();
      await local.close();
    }
  }
  if (!flags.bucket) throw new UserError("give --bucket (or --local for the local bucket)");
  const s3 = new S3Client(
    flags.endpointUrl ? { endpoint: flags.endpointUrl, forcePathStyle: true } : {},
  );
  try {
    return await use(new ModelRegistry(s3, flags.bucket));
  } finally {
    s3.destroy();
  }
}
