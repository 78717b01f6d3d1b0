import { v5 } from '../../domain/tmf629/generations.ts';
import { patchCustomer } from '../patch-customer.ts';
import { tmf629v5 } from '../operations.ts';

export const handler = patchCustomer(v5, tmf629v5.patchCustomer);
