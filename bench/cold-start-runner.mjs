// Loaded by a fresh Node process: imports one bundle, answers one request, prints the elapsed time since process start.
import { pathToFileURL } from 'node:url';
const [bundle, eventJson] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(bundle).href);
const context = {
  functionName: 'bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:0:function:bench',
  memoryLimitInMB: '512',
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 10_000,
};
const result = await handler(JSON.parse(eventJson), context);
process.stdout.write(JSON.stringify({ ms: performance.now(), status: result.statusCode, rssMiB: process.memoryUsage.rss() / 1048576 }));
