import type { Subscription } from '../storage/subscriptions.ts';
import type { TmfGeneration } from '../domain/tmf629/generation.ts';

/** A registration as its generation shows it: v3 and v4's EventSubscription; v5's Hub, with `@type` and `href`. */
export const hubAnswer = (generation: TmfGeneration, subscription: Subscription, baseUrl: string): Record<string, unknown> => {
  const base = { id: subscription.id, callback: subscription.callback, ...(subscription.query === undefined ? {} : { query: subscription.query }) };
  if (generation.name !== 'v5') return base;
  return { '@type': subscription.type ?? 'Hub', ...base, href: `${baseUrl}${generation.basePath}/hub/${encodeURIComponent(subscription.id)}` };
};
