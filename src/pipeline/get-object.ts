/** Reading an object that may not be there. */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import type { GetObjectCommandInput, GetObjectCommandOutput, S3Client } from "@aws-sdk/client-s3";

/**
 * S3 GetObject, or null where the bucket has no such key (NoSuchKey); other faults throw. A
 * caller without s3:ListBucket is told 403 for a missing key, not NoSuchKey: that throws too.
 */
export async function getObjectOrNull(
  s3: S3Client,
  input: GetObjectCommandInput,
): Promise<GetObjectCommandOutput | null> {
  try {
    return await s3.send(new GetObjectCommand(input));
  } catch (error) {
    if ((error as { name?: string }).name === "NoSuchKey") return null;
    throw error;
  }
}
