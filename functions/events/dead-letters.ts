import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClient } from '../aws-clients.ts';
/** The dead-letter queues' client, untraced here: the background functions that use it trace it (`traced(deadLetterQueues)`). */
export const deadLetterQueues = awsClient(new SQSClient({}));

/**
 * Parks what could not be delivered in the dead-letter queue, so nothing is silently dropped.
 * Throws if the queue itself refuses any message: the caller must then let its trigger retry.
 */
export const sendToDeadLetterQueue = async (queueUrl: string, messages: unknown[]): Promise<void> => {
  for (let i = 0; i < messages.length; i += 10) {
    const batch = messages.slice(i, i + 10);
    const result = await deadLetterQueues.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((message, j) => ({ Id: String(j), MessageBody: JSON.stringify(message) })),
      }),
    );
    if (result.Failed && result.Failed.length > 0) {
      throw new Error(`dead-letter queue refused ${result.Failed.length} message(s): ${result.Failed.map((f) => f.Message).join('; ')}`);
    }
  }
};

export const requiredEnv = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
