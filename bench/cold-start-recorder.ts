/**
 * Records the AWS requests a function sends on its cold request, for its baseline (baseline-handler.ts).
 * Runs in a fresh process (child.ts), so that nothing done before changes what the function sends:
 * imports the handler, invokes it once with the given event, and answers its status and every
 * request its SDK clients sent — command, input, and which requests it waited for.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaContext } from '../lib/local/direct-call.ts';
import { childMain } from './child.ts';
import { toSource, type RecordedRequest } from './baseline-handler.ts';

const ROOT = join(import.meta.dirname, '..');

type Send = (this: object, command: { input: unknown }, ...rest: unknown[]) => Promise<unknown>;

export interface Recording {
  status: number;
  requests: RecordedRequest[];
}

const record = async ([handlerFile, eventJson, functionName]: string[]): Promise<Recording> => {
  const sent: (Omit<RecordedRequest, 'after'> & { start: number; end: number })[] = [];
  // Every SDK client (the document client included) sends through the SDK's one Client class.
  for (const prototype of new Set([DynamoDBClient, DynamoDBDocumentClient].map((c) => Object.getPrototypeOf(c.prototype) as { send: Send }))) {
    const send = prototype.send;
    prototype.send = async function (this: object, command, ...rest) {
      const request = {
        client: this.constructor.name,
        command: command.constructor.name,
        input: toSource(command.input),
        start: performance.now(),
        end: Infinity,
      };
      sent.push(request);
      try {
        return await send.call(this, command, ...rest);
      } finally {
        request.end = performance.now();
      }
    };
  }
  const { handler } = (await import(pathToFileURL(join(ROOT, handlerFile!)).href)) as {
    handler: (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
  };
  const result = await handler(JSON.parse(eventJson!), lambdaContext(functionName));
  return {
    status: result.statusCode ?? 200,
    requests: sent.map(({ start, end: _, ...request }) => ({
      ...request,
      after: sent.flatMap((other, j) => (other.end <= start ? [j] : [])),
    })),
  };
};

await childMain(import.meta.url, record);
