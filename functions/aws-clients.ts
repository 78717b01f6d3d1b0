/**
 * Every AWS SDK client the functions make goes through `awsClient`. The SDK's logger middleware
 * copies each request's input and each response's output through the operation's schema to
 * redact sensitive members before handing them to the client's logger — on every call, even
 * when the logger is the default no-op one. Rapport gives its clients no logger (its own logs
 * are Powertools'), so the copies were pure work: for a create's TransactWriteItems, about 3% of
 * the request's CPU in the local runtime's profile (bench/RESULTS.md, table 6). Removed here,
 * once, for every client.
 */
interface WithMiddlewareStack {
  middlewareStack: { remove(name: string): boolean };
}

export const awsClient = <T extends WithMiddlewareStack>(client: T): T => {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
};
