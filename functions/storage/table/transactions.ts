import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { db, tableName } from './db.ts';
import { feedPartitionOf, keys } from './keys.ts';
import { timeOrderedId } from '../../domain/ids.ts';
import { checkItemLimits, EVENT_BUS_LIMITS, eventEntryBytes, NotStorable } from './limits.ts';
import { EVENT_ENTITY } from './table-schema.ts';
import type { PendingEvent } from '../../domain/event-envelope.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The outbox item of an event: the subject's timeline entry, carried to EventBridge by the stream,
 * and an entry of the tenant's event feed (`byFeed`): its position is a time-ordered id made as the
 * item is written, so the feed is in the order the changes were written (an event's own id may be
 * older: the due sweep's are fixed by the due date).
 */
export const eventItem = (subjectPk: string, event: PendingEvent): Record<string, unknown> => ({
  ...(event.mirror ? keys.mirroredEvent : keys.event)(subjectPk, event.envelope.eventId),
  entity: EVENT_ENTITY,
  feedPk: feedPartitionOf(event.envelope),
  feedSk: timeOrderedId(),
  eventId: event.envelope.eventId,
  source: event.source,
  detailType: event.envelope.eventType,
  detail: event.envelope,
  createdAt: event.envelope.eventTime,
  ...(event.description ? { description: event.description } : {}),
});

/**
 * The outbox item of an event, to write in its change's transaction. An event the bus could not
 * take (an entry past EventBridge's 256 KB) is refused here, before anything is written
 * (NotStorable: 413), so a committed change always yields an event the publisher can put.
 */
export const putEvent = (subjectPk: string, event: PendingEvent): TransactItem => {
  const size = eventEntryBytes({ Source: event.source, DetailType: event.envelope.eventType, Detail: JSON.stringify(event.envelope) });
  if (size > EVENT_BUS_LIMITS.entryBytes)
    throw new NotStorable(
      `The change's ${event.envelope.eventType} event would be ${size} bytes; the event bus takes at most ${EVENT_BUS_LIMITS.entryBytes}: make the resource smaller.`,
      true,
    );
  return { Put: { TableName: tableName(), Item: eventItem(subjectPk, event), ConditionExpression: 'attribute_not_exists(pk)' } };
};

/** A condition of the transaction failed; `index` says which item, `item` holds its current value when asked for. */
export class ConditionFailed extends Error {
  constructor(
    readonly index: number,
    readonly item: Record<string, unknown> | undefined,
  ) {
    super(`condition of transaction item ${index} failed`);
    this.name = 'ConditionFailed';
  }
}

/** Another transaction touched the same item at the same moment: retry on fresh data. */
export class WriteConflict extends Error {
  constructor() {
    super('a concurrent transaction touched the same item');
    this.name = 'WriteConflict';
  }
}

interface CancellationReason {
  Code?: string;
  Item?: Record<string, unknown>;
}

/**
 * Writes the items in one transaction, after checking each put item against DynamoDB's key and
 * item limits (NotStorable: nothing is sent). A failed condition surfaces as ConditionFailed (with the
 * current item when the Put or Update asked for ALL_OLD); anything else propagates.
 */
export const transact = async (items: TransactItem[]): Promise<void> => {
  for (const item of items) if (item.Put?.Item) checkItemLimits(item.Put.Item);
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons;
    if ((error as Error).name === 'TransactionCanceledException' && reasons) {
      const index = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      // The document client leaves a cancellation reason's item in DynamoDB's own form: it is handed on as plain values.
      const item = reasons[index]?.Item;
      const marshalled = item !== undefined && Object.values(item).every((value) => typeof value === 'object' && value !== null && !Array.isArray(value));
      if (index >= 0) throw new ConditionFailed(index, item && marshalled ? unmarshall(item as Record<string, AttributeValue>) : item);
      if (reasons.some((r) => r.Code === 'TransactionConflict')) throw new WriteConflict();
    }
    if ((error as Error).name === 'TransactionConflictException') throw new WriteConflict();
    throw error;
  }
};
