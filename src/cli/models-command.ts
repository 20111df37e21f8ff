import { S3Client } from "@aws-sdk/client-s3";
import { Command } from "commander";
import { UserError } from "../errors.js";
import { ModelRegistry } from "../pipeline/model-registry.js";
import { percent, table } from "./format.js";
import { examples, positive } from "./options.js";

interface BucketFlags {
  bucket: string;
  endpointUrl?: string;
}

export function modelsCommand(): Command {
  const models = new Command("models")
    .summary("list and promote the model versions in a bucket")
    .description(
      "The model versions under models/ in a chromoseg bucket (AWS, or the local one of chromoseg local), and the " +
        "pointer models/latest.json that names the one the segment function uses. Credentials, region and endpoint " +
        "come from the standard AWS configuration (profile, environment); --endpoint-url points at another S3.",
    );
  models
    .command("list")
    .description("every version with its test mean IoU and date; * marks the one in use")
    .requiredOption("--bucket <name>", "the bucket")
    .option("--endpoint-url <url>", "an S3 endpoint other than AWS's (path-style)")
    .addHelpText("after", examples("chromoseg models list --bucket chromoseg-data-123"))
    .action(async (flags: BucketFlags) => {
      const versions = await registryFor(flags).list();
      if (!versions.length) {
        console.log(`no model versions in s3://${flags.bucket}/models/`);
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
      "point models/latest.json at a version (also to roll back); refused when its test mean IoU is below the " +
        "current one's by more than --tolerance, unless --force",
    )
    .argument("<version>", "a version listed by chromoseg models list")
    .requiredOption("--bucket <name>", "the bucket")
    .option("--endpoint-url <url>", "an S3 endpoint other than AWS's (path-style)")
    .option(
      "--tolerance <fraction>",
      "how much worse (0–1) a version may be",
      positive(true),
      0.005,
    )
    .option("--force", "skip the quality gate")
    .addHelpText(
      "after",
      examples("chromoseg models promote 2026-11-20T03-00-00Z --bucket chromoseg-data-123 --force"),
    )
    .action(
      async (version: string, flags: BucketFlags & { tolerance: number; force?: boolean }) => {
        const outcome = await registryFor(flags).promote(version, flags);
        if (!outcome.promoted) throw new UserError(`${version} not promoted: ${outcome.reason}`);
        console.log(`models/latest.json now names ${version} (${outcome.reason})`);
      },
    );
  return models;
}

function registryFor({ bucket, endpointUrl }: BucketFlags): ModelRegistry {
  const s3 = new S3Client(endpointUrl ? { endpoint: endpointUrl, forcePathStyle: true } : {});
  return new ModelRegistry(s3, bucket);
}
