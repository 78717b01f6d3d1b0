import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import type { EventEnvelope } from '../domain/event-envelope.ts';
import { tracedInstrumentation } from '../tracing.ts';
import { projectFromTable } from './customer-projection.ts';

/**
 * The search projector: an event rule's target for every CRM and TMF629 event. A customer's event
 * brings its search row to the customer as the table holds it now (customer-projection.ts); other
 * subjects (activities, opportunities) change no customer. Fed through the bus, not the table
 * stream, which already has its two consumers (the publisher, the webhook dispatcher).
 */
const project = async (event: EventBridgeEvent<string, EventEnvelope>): Promise<void> => {
  const { tenantId, subject } = event.detail;
  if (subject.type !== 'Customer') return;
  await projectFromTable(tenantId, subject.id);
};

export const handler = middy(project).use(tracedInstrumentation());
