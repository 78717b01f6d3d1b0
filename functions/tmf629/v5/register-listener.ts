import { v5 } from '../../domain/tmf629/generations.ts';
import { registerListener } from '../register-listener.ts';
import { tmf629v5 } from '../operations.ts';

export const handler = registerListener(v5, tmf629v5.registerListener);
