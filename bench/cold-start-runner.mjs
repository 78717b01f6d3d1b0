// Loaded by a fresh Node process: imports one bundle, answers one request, and prints on its last line
// the time since the process started, the CPU time it used, its status and its peak memory (the
// function's own lines, a metric for one, come before).
import { pathToFileURL } from 'node:url';
const [bundle, eventJson, functionName] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(bundle).href);
const context = {
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:0:function:${functionName}`,
  memoryLimitInMB: '512',
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 10_000,
};
const result = await handler(JSON.parse(eventJson), context);
const cpu = process.cpuUsage();
process.stdout.write(
  `\n${JSON.stringify({ ms: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000, status: result.statusCode, rssMiB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
