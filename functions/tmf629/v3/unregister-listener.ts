import { unregisterListener } from '../unregister-listener.ts';
import { tmf629v3 } from '../operations.ts';

export const handler = unregisterListener(tmf629v3.unregisterListener);
