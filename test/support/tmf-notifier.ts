import type { EventBridgeEvent } from 'aws-lambda';
import { newEvent } from '../../functions/domain/event-envelope.ts';
import { handler } from '../../functions/tmf629/notify-listeners.ts';
import { lambdaContext } from '../../lib/local/direct-call.ts';

/** Runs the TMF hub notifier in-process on a TMF event of a tenant's customer, as EventBridge hands it over; resolves to what it reports. */
export const notifyTmfEvent = async (tenantId: string, customerId: string, eventType = 'CustomerCreateEvent') => {
  const { source, envelope } = newEvent({
    source: 'rapport.tmf629',
    eventType,
    tenantId,
    subject: { type: 'Customer', id: customerId },
    sequence: 1,
    actor: 'test',
    correlationId: 'c',
    data: { customer: { id: customerId, href: `https://api.test/tmf-api/customerManagement/v4/customer/${customerId}`, name: 'Moon Football Club' } },
  });
  const event: EventBridgeEvent<string, typeof envelope> = {
    version: '0',
    id: envelope.eventId,
    'detail-type': eventType,
    source,
    account: '000000000000',
    time: envelope.eventTime,
    region: 'us-east-1',
    resources: [],
    detail: envelope,
  };
  return (await handler(event, lambdaContext('notify-listeners'))) as { delivered: number; failed: number; gone: number };
};
