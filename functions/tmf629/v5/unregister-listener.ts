import { unregisterListener } from '../unregister-listener.ts';
import { tmf629v5 } from '../operations.ts';

export const handler = unregisterListener(tmf629v5.unregisterListener);
