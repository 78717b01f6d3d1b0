import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { MAX_FEED_TYPES, readFeed } from '../storage/event-feed.ts';
import { EVENT_TYPE_NAMES } from './event-types.ts';
import { webhooks } from './operations.ts';

const KNOWN_TYPES = new Set<string>(EVENT_TYPE_NAMES);

/**
 * GET /api/v1/events?after=&types=&limit= — the tenant's events in the order they were written,
 * each once, from the oldest kept (or after `after`: a `next` this feed gave out), with `next`
 * to resume from and `more` when there is more to read at once. The same events, with the same
 * ids, as the webhooks deliver. An event is handed out once it is FEED_SETTLE_SECONDS old.
 */
export const handler = defineHandler(webhooks.listEvents, async (request) => {
  const { limit } = request.query;
  const types = request.query.types === undefined ? [] : [...new Set(request.query.types.split(','))];
  if (types.length > MAX_FEED_TYPES) throw badRequest(`types names at most ${MAX_FEED_TYPES} event types.`);
  const unknown = types.filter((t) => !KNOWN_TYPES.has(t));
  if (unknown.length > 0) throw badRequest(`types: unknown event type(s) ${unknown.map((t) => `'${t}'`).join(', ')}; GET /openapi.json lists them.`);
  const page = await readFeed(request.caller.tenantId, { limit, types, ...(request.query.after === undefined ? {} : { after: request.query.after }) });
  return { status: 200, body: page };
});
