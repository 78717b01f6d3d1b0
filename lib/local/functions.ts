import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Handler = (event: unknown, context: Context) => Promise<unknown>;
const loaded = new Map<string, Promise<Handler>>();

/** Loads a handler file (as listed in the catalog) once, as Lambda would load the function's bundle. */
const load = (file: string): Promise<Handler> => {
  let handler = loaded.get(file);
  if (!handler) {
    handler = import(pathToFileURL(join(PROJECT_ROOT, file)).href).then((module: { handler?: Handler }) => {
      if (typeof module.handler !== 'function') throw new Error(`${file} exports no handler`);
      return module.handler;
    });
    loaded.set(file, handler);
  }
  return handler;
};

/** A Lambda context as the runtime hands it to a function (30 s budget from now). */
export const lambdaContext = (name: string, budgetMs = 30_000): Context => {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, budgetMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

/** Invokes a function the way the Lambda runtime does: the event and a context. */
export const invoke = async (name: string, file: string, event: unknown): Promise<unknown> => {
  const handler = await load(file);
  const context = lambdaContext(name);
  return handler(event, context);
};
