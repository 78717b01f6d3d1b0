import { v3 } from '../../domain/tmf629/generations.ts';
import { registerListener } from '../register-listener.ts';
import { tmf629v3 } from '../operations.ts';

export const handler = registerListener(v3, tmf629v3.registerListener);
