import { toJSONSchema } from 'zod';
import { eventTypes } from '../functions/event-catalog.ts';

/** File path (under the project root) and content of each event type's JSON Schema. */
export const eventSchemaFiles = (): { path: string; content: string }[] =>
  eventTypes.map((type) => ({
    path: `schemas/events/${type.source}/${type.detailType}.json`,
    content: `${JSON.stringify(
      {
        ...(toJSONSchema(type.detail, { io: 'output' }) as object),
        $id: `https://rapport.dev/schemas/events/${type.source}/${type.detailType}.json`,
        title: `${type.source} ${type.detailType}`,
        description: `${type.description} EventBridge detail of source '${type.source}', detail-type '${type.detailType}'.`,
      },
      null,
      2,
    )}\n`,
  }));
