import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { instrumentation } from './observability.ts';

/**
 * The X-Ray SDK (Powertools Tracer), for the background functions only — the stream publisher,
 * the hub notifier, the due sweep: their traces show each AWS call as a subsegment. API
 * functions leave it out of their bundle (observability.ts says why) and keep Lambda's own
 * active-tracing segments. Inert outside Lambda.
 */
export const tracer = new Tracer();

/** An AWS SDK v3 client whose calls appear as X-Ray subsegments. */
export const traced = <T extends Parameters<Tracer['captureAWSv3Client']>[0]>(client: T): T => tracer.captureAWSv3Client(client);

/** instrumentation() plus an X-Ray segment around the handler. */
export const tracedInstrumentation = () => [captureLambdaHandler(tracer, { captureResponse: false }), ...instrumentation()];
