/**
 * Cursor lists as async iterators: every item of every page, one request a page, following the
 * cursor Rapport hands out (the `X-Next-Cursor` header of a list, `next` in a search's body) until
 * there is none. Break out of the loop to stop: no page beyond it is read.
 */
export interface PageAnswer<Body> {
  data?: Body;
  error?: unknown;
  response: Response;
}

/** The API answered an error where a page was expected: its status and body (Rapport's error format for the family). */
export class RapportError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    super(`Rapport answered ${status}: ${typeof body === 'object' && body !== null ? JSON.stringify(body).slice(0, 300) : String(body)}`);
    this.name = 'RapportError';
    this.status = status;
    this.body = body;
  }
}

/** The items of a page body: an array (a list), or `results` of an object (a search). */
const itemsOf = <Item>(body: unknown): Item[] => (Array.isArray(body) ? (body as Item[]) : ((body as { results?: Item[] } | undefined)?.results ?? []));

/** The next page's cursor: the `X-Next-Cursor` header, or `next` in the body. */
const nextOf = (answer: PageAnswer<unknown>): string | undefined =>
  answer.response.headers.get('x-next-cursor') ?? ((answer.data as { next?: string } | undefined)?.next || undefined);

export async function* pages<Item>(read: (cursor: string | undefined) => Promise<PageAnswer<unknown>>): AsyncGenerator<Item[]> {
  let cursor: string | undefined;
  do {
    const answer = await read(cursor);
    if (answer.error !== undefined || !answer.response.ok) throw new RapportError(answer.response.status, answer.error);
    yield itemsOf<Item>(answer.data);
    cursor = nextOf(answer);
  } while (cursor);
}

export async function* items<Item>(read: (cursor: string | undefined) => Promise<PageAnswer<unknown>>): AsyncGenerator<Item> {
  for await (const page of pages<Item>(read)) yield* page;
}
