/**
 * A Lambda handler wrapped as Powertools' `injectLambdaContext({ resetKeys: true })` and
 * `logMetrics()` wrap one (their decorators need a class and legacy decorators, their middlewares
 * Middy): each invocation logs with the Lambda context, and on return and on throw alike the keys
 * it appended to the logger are cleared and the metrics it stored are published.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import type { Context } from "aws-lambda";

export function withPowertools<Event, Result>(
  { logger, metrics }: { logger: Logger; metrics: Metrics },
  handler: (event: Event, context: Context) => Promise<Result>,
): (event: Event, context: Context) => Promise<Result> {
  return async (event, context) => {
    logger.addContext(context);
    try {
      return await handler(event, context);
    } finally {
      logger.resetKeys();
      metrics.publishStoredMetrics();
    }
  };
}
