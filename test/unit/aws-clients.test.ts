import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamodb } from '../../functions/storage/table/db.ts';
import { kms } from '../../functions/storage/table/sealed-secrets.ts';
import { deliveryQueue } from '../../functions/events/webhook-queue.ts';
import { deadLetterQueues } from '../../functions/events/dead-letters.ts';

const middlewareNames = (client: { middlewareStack: { identify(): string[] } }) => client.middlewareStack.identify().map((entry) => entry.split(' ')[0]);

describe('AWS SDK clients', () => {
  it("leave out the SDK's logger middleware, which copies every request and answer for a logger they do not have", () => {
    // The name the SDK gives it: if it changes, awsClient removes nothing and this fails.
    expect(middlewareNames(new DynamoDBClient({}))).toContain('loggerMiddleware');
    for (const client of [dynamodb, kms, deliveryQueue, deadLetterQueues]) expect(middlewareNames(client)).not.toContain('loggerMiddleware');
  });
});
